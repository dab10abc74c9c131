package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.health.ActuatorViews;
import org.springframework.boot.health.application.AvailabilityStateHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;

import java.util.Map;
import java.util.Set;

/**
 * Replaces each blocking {@link HealthIndicator} among the context's health contributors with a
 * {@link BackgroundHealthIndicator} registered for readiness ({@link ActuatorViews#inBackground}). Indicators that
 * only read in-memory state (ping, Actuator's availability indicators, readiness' own probes) and composite or
 * reactive contributors are kept as they are.
 */
final class BackgroundIndicators {

    private BackgroundIndicators() {
    }

    /**
     * @param contributors  contributor name to contributor, as Actuator would register them
     * @param requiredNames contributors whose DOWN takes readiness DOWN ({@code *} for all); the others only
     *                      mark it degraded
     * @param covered       readiness check names that readiness registers itself: an indicator of the same name is
     *                      not evaluated at all, it shows that check's result
     * @return the same names, with blocking indicators wrapped
     */
    static Map<String, HealthContributor> wrap(Map<String, HealthContributor> contributors, HealthRegistry registry,
                                               CheckOptions options, Set<String> requiredNames, Set<String> covered) {
        return ActuatorViews.inBackground(contributors, registry, options, requiredNames, covered,
                c -> c instanceof HealthIndicator indicator && !inMemory(indicator)
                        ? BackgroundHealthIndicator.asCheck(indicator) : null,
                (name, c) -> new BackgroundHealthIndicator(registry, name, (HealthIndicator) c));
    }

    private static boolean inMemory(HealthIndicator indicator) {
        return indicator instanceof ProbeHealthIndicator || indicator instanceof BackgroundHealthIndicator
                || indicator instanceof PingHealthIndicator || indicator instanceof AvailabilityStateHealthIndicator;
    }
}
