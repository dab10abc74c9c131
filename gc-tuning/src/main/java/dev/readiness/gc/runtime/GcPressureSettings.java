package dev.readiness.gc.runtime;

import java.time.Duration;
import java.util.Objects;

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

    /**
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public GcPressureSettings {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (overheadPercent < 1 || overheadPercent > 100) {
            throw new IllegalArgumentException("overheadPercent must be 1..100, was " + overheadPercent);
        }
        if (heapAfterGcPercent < 1 || heapAfterGcPercent > 100) {
            throw new IllegalArgumentException("heapAfterGcPercent must be 1..100, was " + heapAfterGcPercent);
        }
    }

    public static GcPressureSettings defaults() {
        return new GcPressureSettings(DEFAULT_WINDOW, DEFAULT_OVERHEAD_PERCENT, DEFAULT_HEAP_AFTER_GC_PERCENT);
    }
}
