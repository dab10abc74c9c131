package dev.readiness.spring.boot.autoconfigure.dependencies;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.health.check.resilience4j.CircuitBreakerCheck;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ListableBeanFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A readiness check ({@link CircuitBreakerCheck#of}) for every Resilience4j {@link CircuitBreaker} in the context,
 * as a bean or inside a {@link CircuitBreakerRegistry} bean, named {@code circuitbreaker-<breaker name>}: OPEN is
 * DOWN. Degraded (not required) unless named in {@code readiness.dependencies.required}: the breaker already makes
 * the calls that need the dependency fail fast. A breaker named there that does not move from OPEN to HALF_OPEN by
 * itself ({@code automaticTransitionFromOpenToHalfOpenEnabled}) stays degraded, with a warning: a pod taken out of
 * rotation would get no calls to close its breaker again.
 */
final class CircuitBreakerChecks implements CheckContributor {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CircuitBreakerChecks.class);

    private final ListableBeanFactory beans;
    private final CheckOptions defaults;
    private final ReadinessProperties.Dependencies settings;
    private List<CheckRegistration> checks;

    CircuitBreakerChecks(ListableBeanFactory beans, CheckOptions defaults, ReadinessProperties.Dependencies settings) {
        this.beans = beans;
        this.defaults = defaults;
        this.settings = settings;
    }

    @Override
    public synchronized List<CheckRegistration> checks() {
        if (checks == null) {
            Map<CircuitBreaker, Boolean> breakers = new IdentityHashMap<>();
            List<CircuitBreaker> ordered = new ArrayList<>();
            for (CircuitBreaker b : beans.getBeansOfType(CircuitBreaker.class, false, false).values()) {
                if (breakers.put(b, Boolean.TRUE) == null) {
                    ordered.add(b);
                }
            }
            for (CircuitBreakerRegistry r : beans.getBeansOfType(CircuitBreakerRegistry.class, false, false).values()) {
                for (CircuitBreaker b : r.getAllCircuitBreakers()) {
                    if (breakers.put(b, Boolean.TRUE) == null) {
                        ordered.add(b);
                    }
                }
            }
            List<CheckRegistration> out = new ArrayList<>();
            for (CircuitBreaker b : ordered) {
                boolean recovers = b.getCircuitBreakerConfig().isAutomaticTransitionFromOpenToHalfOpenEnabled();
                String name = "circuitbreaker-" + b.getName();
                boolean required = settings.requires(name);
                if (required && !recovers) {
                    log.warn("readiness.dependencies.required names {}, but circuit breaker {} does not move from OPEN"
                            + " to HALF_OPEN by itself (automaticTransitionFromOpenToHalfOpenEnabled): a pod out of"
                            + " rotation would get no call to close it, so the check stays degraded", name, b.getName());
                    required = false;
                }
                out.add(CheckRegistration.readiness(name, CircuitBreakerCheck.of(b),
                        defaults.toBuilder().required(required).build()));
            }
            checks = List.copyOf(out);
        }
        return checks;
    }
}
