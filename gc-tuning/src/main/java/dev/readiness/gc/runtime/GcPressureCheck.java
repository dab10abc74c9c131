package dev.readiness.gc.runtime;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.time.Ticker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Liveness: DOWN when the JVM spends its time collecting garbage instead of serving, for a sustained window:
 * GC pauses took more than {@code overheadPercent} of the window, or the heap after every collection in the window
 * stayed above {@code heapAfterGcPercent} of the maximum while collections kept running. That JVM will not
 * recover on its own; a restart is the cure. A short spike does not count: the whole window must be under pressure.
 * <p>
 * In-process only: reads the GC MXBeans through a {@link GcSampler} at each evaluation. Until a window's worth of
 * samples exists it is UP.
 */
public final class GcPressureCheck implements LocalCheck {

    private record Point(long nanos, GcSampler.Sample sample) {
    }

    private final GcPressureSettings settings;
    private final GcSampler sampler;
    private final Ticker ticker;
    private final Deque<Point> points = new ArrayDeque<>();
    private volatile double lastOverhead = Double.NaN;
    private volatile double lastHeapAfterGc = Double.NaN;

    public GcPressureCheck(GcPressureSettings settings) {
        this(settings, GcSampler.platform(), Ticker.system());
    }

    public GcPressureCheck(GcPressureSettings settings, GcSampler sampler, Ticker ticker) {
        this.settings = settings;
        this.sampler = sampler;
        this.ticker = ticker;
    }

    @Override
    public synchronized CheckResult check() {
        long now = ticker.nanoTime();
        GcSampler.Sample current = sampler.sample();
        points.addLast(new Point(now, current));
        long windowNanos = settings.window().toNanos();
        // keep the newest point at or before the window's start as the base, drop older ones
        while (points.size() > 1) {
            Point first = points.pollFirst();
            if (now - points.peekFirst().nanos() < windowNanos) {
                points.addFirst(first);
                break;
            }
        }
        lastHeapAfterGc = current.heapAfterGc();
        Point base = points.peekFirst();
        long span = now - base.nanos();
        if (span < windowNanos) {
            lastOverhead = span > 0 ? overhead(base, current, span) : Double.NaN;
            return CheckResult.up().withDetail("gcOverhead", pct(lastOverhead))
                    .withDetail("heapAfterGc", pct(current.heapAfterGc()))
                    .withDetail("window", "filling: " + span / 1_000_000_000 + "s of " + settings.window().toSeconds() + "s");
        }
        double overhead = overhead(base, current, span);
        lastOverhead = overhead;
        boolean heapFull = current.collections() > base.sample().collections();
        for (Point p : points) {
            if (p == base) {
                continue; // its reading is about collections before the window
            }
            double h = p.sample().heapAfterGc();
            heapFull &= !Double.isNaN(h) && h * 100 >= settings.heapAfterGcPercent();
        }
        CheckResult result;
        if (overhead * 100 > settings.overheadPercent()) {
            result = CheckResult.down(String.format(Locale.ROOT, "GC pauses took %.0f%% of the last %ds (limit %d%%)",
                    overhead * 100, settings.window().toSeconds(), settings.overheadPercent()));
        } else if (heapFull) {
            result = CheckResult.down(String.format(Locale.ROOT, "heap after GC stayed above %d%% of the maximum for "
                            + "%ds while %d collections ran (now %.0f%%)", settings.heapAfterGcPercent(),
                    settings.window().toSeconds(), current.collections() - base.sample().collections(),
                    current.heapAfterGc() * 100));
        } else {
            result = CheckResult.up();
        }
        return result.withDetail("gcOverhead", pct(overhead)).withDetail("heapAfterGc", pct(current.heapAfterGc()));
    }

    private static double overhead(Point base, GcSampler.Sample current, long spanNanos) {
        long pausedNanos = (current.pauseMillis() - base.sample().pauseMillis()) * 1_000_000L;
        return Math.max(0, Math.min(1, (double) pausedNanos / spanNanos));
    }

    private static String pct(double share) {
        return Double.isNaN(share) ? "unknown" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** GC pause share over the latest evaluated span, 0..1, NaN before two evaluations. */
    public double lastOverhead() {
        return lastOverhead;
    }

    /** Heap after the latest collection as a share of the maximum, 0..1, NaN before the first evaluation. */
    public double lastHeapAfterGc() {
        return lastHeapAfterGc;
    }

    public GcPressureSettings settings() {
        return settings;
    }
}
