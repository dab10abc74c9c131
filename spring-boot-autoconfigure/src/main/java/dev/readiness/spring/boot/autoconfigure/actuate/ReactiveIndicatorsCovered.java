package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.core.probe.HealthRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Boot registers some indicators as reactive contributors (Redis' when Reactor is on the class path, which
 * Lettuce brings). When a readiness check of the same name covers the same resource, the reactive indicator is
 * taken out of Actuator's reactive registry and the name shows that check's result instead, so
 * {@code /actuator/health} does not PING Redis a second time on every request.
 */
final class ReactiveIndicatorsCovered implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ReactiveIndicatorsCovered.class);

    private final ObjectProvider<ReactiveHealthContributorRegistry> reactive;
    private final HealthContributorRegistry blocking;
    private final HealthRegistry registry;
    private final Supplier<Set<String>> covered;

    ReactiveIndicatorsCovered(ObjectProvider<ReactiveHealthContributorRegistry> reactive, HealthContributorRegistry blocking,
                              HealthRegistry registry, Supplier<Set<String>> covered) {
        this.reactive = reactive;
        this.blocking = blocking;
        this.registry = registry;
        this.covered = covered;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ReactiveHealthContributorRegistry reactive = this.reactive.getIfAvailable();
        if (reactive == null) {
            return;
        }
        for (String name : covered.get()) {
            ReactiveHealthContributor contributor = reactive.getContributor(name);
            if (contributor instanceof ReactiveHealthIndicator indicator && blocking.getContributor(name) == null) {
                reactive.unregisterContributor(name);
                HealthIndicator adapted = indicator.asHealthContributor();
                blocking.registerContributor(name, new BackgroundHealthIndicator(registry, name, adapted));
                log.debug("reactive health indicator '{}' replaced by readiness' check of the same name", name);
            }
        }
    }
}
