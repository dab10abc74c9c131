package dev.readiness.gc.runtime;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;

/**
 * {@code readiness.gc.*}: the run-time side of gc-tuning (the CLI reads {@code READINESS_GC_*} variables itself).
 * <pre>
 * readiness.gc.advisor.enabled=true                   # READINESS_GC_ADVISOR_ENABLED: log disagreements at start
 * readiness.gc.pressure.enabled=true                  # register the GC-pressure liveness check
 * readiness.gc.pressure.window=60s
 * readiness.gc.pressure.overhead-percent=50
 * readiness.gc.pressure.heap-after-gc-percent=95
 * </pre>
 */
@ConfigMapping(prefix = "readiness.gc")
public interface GcConfig {

    Advisor advisor();

    Pressure pressure();

    interface Advisor {
        /** Log what in the JVM disagrees with its container at start. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Pressure {
        /** Register the GC-pressure liveness check. */
        @WithDefault("true")
        boolean enabled();

        /** How long the pressure must last before the check goes DOWN. */
        @WithDefault("60s")
        Duration window();

        /** Share of wall time spent in GC pauses over the window that counts as pressure. */
        @WithDefault("50")
        int overheadPercent();

        /** Heap after GC, as a share of the maximum, that counts as pressure when it lasts the window. */
        @WithDefault("95")
        int heapAfterGcPercent();
    }

    /**
     * The mapped values handed to {@link GcPressureSettings}, which alone holds the rules.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default GcPressureSettings toSettings() {
        Pressure s = pressure();
        return new GcPressureSettings(s.window(), s.overheadPercent(), s.heapAfterGcPercent());
    }

    /** Reads and validates {@code readiness.gc.*} from {@code config}. */
    static GcConfig from(Config config) {
        GcConfig c = ReadinessConfig.mapping(config, GcConfig.class);
        c.toSettings();
        return c;
    }
}
