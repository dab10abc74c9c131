package dev.readiness.gc.runtime;

import dev.readiness.core.config.Key;
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

    /** {@code readiness.gc.pressure.window}. */
    public static final Key<Duration> WINDOW = Key.duration(PREFIX + "window").defaultsTo(DEFAULT_WINDOW)
            .allowed("must be at least 1s and at most 1d",
                    w -> w.compareTo(MIN_WINDOW) >= 0 && w.compareTo(Duration.ofDays(1)) <= 0)
            .means("How long the pressure must last before the GC-pressure liveness check goes DOWN.");
    /** {@code readiness.gc.pressure.overhead-percent}. */
    public static final Key<Integer> OVERHEAD_PERCENT = Key.integer(PREFIX + "overhead-percent")
            .defaultsTo(DEFAULT_OVERHEAD_PERCENT).range(1, 100)
            .means("Share of wall time spent in GC pauses over the window that counts as pressure.");
    /** {@code readiness.gc.pressure.heap-after-gc-percent}. */
    public static final Key<Integer> HEAP_AFTER_GC_PERCENT = Key.integer(PREFIX + "heap-after-gc-percent")
            .defaultsTo(DEFAULT_HEAP_AFTER_GC_PERCENT).range(1, 100)
            .means("Heap after each collection, as a share of the maximum, that counts as pressure when it lasts"
                    + " the window.");

    /**
     * The one home of these rules: every front end ({@link GcSettings#KEYS}) only passes values on.
     *
     * @throws ReadinessConfigException naming the full key, the value and what is allowed
     */
    public GcPressureSettings {
        WINDOW.check(window);
        OVERHEAD_PERCENT.check(overheadPercent);
        HEAP_AFTER_GC_PERCENT.check(heapAfterGcPercent);
    }

    public static GcPressureSettings defaults() {
        return new GcPressureSettings(DEFAULT_WINDOW, DEFAULT_OVERHEAD_PERCENT, DEFAULT_HEAP_AFTER_GC_PERCENT);
    }
}
