package dev.readiness.gc.runtime;

import dev.readiness.core.config.ReadinessConfigException;

import java.time.Duration;

/**
 * When the GC-pressure liveness check goes DOWN. Immutable, validated when built.
 *
 * @param window               how long the pressure must last, default 60s
 * @param overheadPercent      DOWN when collections took more than this share of the window's time, default 50
 * @param heapAfterGcPercent   DOWN when, throughout the window, the heap after each collection stayed above this
 *                             share of the maximum while collections kept running, default 95
 */
public record GcPressureSettings(Duration window, int overheadPercent, int heapAfterGcPercent) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final int DEFAULT_OVERHEAD_PERCENT = 50;
    public static final int DEFAULT_HEAP_AFTER_GC_PERCENT = 95;

    /** Shortest window: 1 s; a shorter one judges pressure from one or two collections. */
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    private static final String PREFIX = "readiness.gc.pressure.";

    /**
     * The one home of these rules: the SmallRye mapping ({@link GcConfig}) and every other front end only pass
     * values on.
     *
     * @throws ReadinessConfigException naming the full key, the value and what is allowed
     */
    public GcPressureSettings {
        ReadinessConfigException.require(window != null && window.compareTo(MIN_WINDOW) >= 0, PREFIX + "window",
                window, "must be at least 1s");
        ReadinessConfigException.require(overheadPercent >= 1 && overheadPercent <= 100,
                PREFIX + "overhead-percent", overheadPercent, "must be 1..100");
        ReadinessConfigException.require(heapAfterGcPercent >= 1 && heapAfterGcPercent <= 100,
                PREFIX + "heap-after-gc-percent", heapAfterGcPercent, "must be 1..100");
    }

    public static GcPressureSettings defaults() {
        return new GcPressureSettings(DEFAULT_WINDOW, DEFAULT_OVERHEAD_PERCENT, DEFAULT_HEAP_AFTER_GC_PERCENT);
    }
}
