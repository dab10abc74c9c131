package dev.readiness.gc.runtime;

import dev.readiness.core.probe.HealthRegistry;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * Wires the run-time side into a {@link HealthRegistry}: logs the advisor's findings and registers the GC-pressure
 * check for liveness as {@value #CHECK_NAME}, as {@code readiness.gc.*} says.
 */
public final class GcRuntime {

    /** The liveness check's name. */
    public static final String CHECK_NAME = "gc-pressure";

    private GcRuntime() {
    }

    /**
     * @return the registered check (for a {@code GcPressureMetrics} binder), empty when disabled
     * @throws dev.readiness.core.config.ReadinessConfigException for a bad {@code readiness.gc.*} value
     */
    public static Optional<GcPressureCheck> install(HealthRegistry registry, Config config) {
        GcSettings gc = GcConfig.from(config);
        if (gc.advisorEnabled()) {
            GcAdvisor.logAtStart();
        }
        if (!gc.pressureEnabled()) {
            return Optional.empty();
        }
        GcPressureCheck check = new GcPressureCheck(gc.pressure());
        registry.liveness(CHECK_NAME, check);
        return Optional.of(check);
    }
}
