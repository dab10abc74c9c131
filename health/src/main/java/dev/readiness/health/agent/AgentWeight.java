package dev.readiness.health.agent;

import java.time.Duration;

/**
 * The weight the agent answers while the service is ready, in percent of the server's configured weight: 100 below
 * {@code shed-above}; once saturation passes it, falling linearly to {@code min-weight} at {@code shed-full}, and
 * full again only once saturation is {@code hysteresis} below {@code shed-above}, so a weight near the threshold
 * does not flap. During the slow start the weight is at most a ramp from {@code min-weight} to 100. Unknown
 * saturation (NaN) leaves the weight to the slow start alone.
 * <p>
 * Pure logic over the times it is given; thread-safe.
 */
public final class AgentWeight {

    private final double shedAbove;
    private final double shedFull;
    private final double hysteresis;
    private final int minWeight;
    private final long slowStartNanos;
    private boolean shedding;
    private long readySince = Long.MIN_VALUE;
    private boolean ready;

    public AgentWeight(AgentSettings settings) {
        this.shedAbove = settings.shedAbove();
        this.shedFull = settings.shedFull();
        this.hysteresis = settings.hysteresis();
        this.minWeight = settings.minWeight();
        this.slowStartNanos = settings.slowStart().toNanos();
    }

    /** Readiness turned UP for the first time at {@code nanos}: the slow start begins. Later calls are ignored. */
    public synchronized void readyAt(long nanos) {
        if (!ready) {
            ready = true;
            readySince = nanos;
        }
    }

    /** Whether the slow start has begun. */
    public synchronized boolean ready() {
        return ready;
    }

    /** The weight in percent, {@code min-weight}..100, for {@code saturation} at {@code nanos}. */
    public synchronized int percent(double saturation, long nanos) {
        double w = 100;
        if (!Double.isNaN(saturation)) {
            if (saturation > shedAbove) {
                shedding = true;
            } else if (saturation < shedAbove - hysteresis) {
                shedding = false;
            }
            if (shedding) {
                double from = shedAbove - hysteresis;
                double share = (saturation - from) / (shedFull - from);
                w = 100 - Math.max(0, Math.min(1, share)) * (100 - minWeight);
            }
        }
        w = Math.min(w, ramp(nanos));
        return (int) Math.max(minWeight, Math.min(100, Math.round(w)));
    }

    /** Whether the weight is below full because of saturation. */
    public synchronized boolean shedding() {
        return shedding;
    }

    private double ramp(long nanos) {
        if (slowStartNanos <= 0) {
            return 100;
        }
        if (!ready) {
            return minWeight;
        }
        long elapsed = nanos - readySince;
        if (elapsed >= slowStartNanos) {
            return 100;
        }
        return minWeight + (100.0 - minWeight) * Math.max(0, elapsed) / slowStartNanos;
    }

    @Override
    public String toString() {
        return "AgentWeight{shedAbove=" + shedAbove + ", shedFull=" + shedFull + ", hysteresis=" + hysteresis
                + ", minWeight=" + minWeight + ", slowStart=" + Duration.ofNanos(slowStartNanos) + "}";
    }
}
