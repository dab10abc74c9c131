package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.application.AvailabilityStateHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Replaces each blocking {@link HealthIndicator} among the context's health contributors with a
 * {@link BackgroundHealthIndicator} registered for readiness. Indicators that only read in-memory state
 * (ping, Actuator's availability indicators, readiness' own probes) and composite or reactive contributors are
 * kept as they are.
 */
final class BackgroundIndicators {

    private static final Logger log = LoggerFactory.getLogger(BackgroundIndicators.class);

    private BackgroundIndicators() {
    }

    /**
     * @param contributors  contributor name to contributor, as Actuator would register them
     * @param requiredNames contributors whose DOWN takes readiness DOWN ({@code *} for all); the others only
     *                      mark it degraded
     * @param covered       readiness check names that readiness registers itself (its dependency checks of the
     *                      application's DataSource, Redis factory...): an indicator of the same name is not
     *                      evaluated at all, it shows that check's result
     * @return the same names, with blocking indicators wrapped
     */
    static Map<String, HealthContributor> wrap(Map<String, HealthContributor> contributors, HealthRegistry registry,
                                               CheckOptions options, Set<String> requiredNames, Set<String> covered) {
        Map<String, HealthContributor> out = new LinkedHashMap<>();
        contributors.forEach((name, contributor) -> {
            if (contributor instanceof HealthIndicator indicator && !inMemory(indicator) && covered.contains(name)) {
                out.put(name, new BackgroundHealthIndicator(registry, name, indicator));
                return;
            }
            if (contributor instanceof HealthIndicator indicator && !inMemory(indicator)) {
                boolean required = requiredNames.contains("*") || requiredNames.contains(name);
                try {
                    registry.readiness(name, BackgroundHealthIndicator.asCheck(indicator),
                            options.toBuilder().required(required).build());
                    out.put(name, new BackgroundHealthIndicator(registry, name, indicator));
                    return;
                } catch (IllegalArgumentException e) {
                    log.warn("health indicator '{}' stays on the request thread: {}", name, e.getMessage());
                }
            }
            out.put(name, contributor);
        });
        return out;
    }

    private static boolean inMemory(HealthIndicator indicator) {
        return indicator instanceof ProbeHealthIndicator || indicator instanceof BackgroundHealthIndicator
                || indicator instanceof PingHealthIndicator || indicator instanceof AvailabilityStateHealthIndicator;
    }
}
