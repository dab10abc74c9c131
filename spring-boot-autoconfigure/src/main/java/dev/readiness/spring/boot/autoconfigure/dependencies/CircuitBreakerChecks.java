package dev.readiness.spring.boot.autoconfigure.dependencies;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.health.check.resilience4j.CircuitBreakerCheck;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
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
 * DOWN. It is required for readiness only when the breaker moves from OPEN to HALF_OPEN by itself
 * ({@code automaticTransitionFromOpenToHalfOpenEnabled}); otherwise a pod taken out of rotation would get no
 * calls to close its breaker again, so the check only marks readiness degraded.
 */
final class CircuitBreakerChecks implements CheckContributor {

    private final ListableBeanFactory beans;
    private final CheckOptions defaults;
    private List<CheckRegistration> checks;

    CircuitBreakerChecks(ListableBeanFactory beans, CheckOptions defaults) {
        this.beans = beans;
        this.defaults = defaults;
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
                out.add(CheckRegistration.readiness("circuitbreaker-" + b.getName(), CircuitBreakerCheck.of(b),
                        defaults.toBuilder().required(recovers).build()));
            }
            checks = List.copyOf(out);
        }
        return checks;
    }
}
