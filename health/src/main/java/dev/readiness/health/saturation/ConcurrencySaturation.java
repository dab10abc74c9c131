package dev.readiness.health.saturation;

import dev.readiness.core.drain.InFlightTracker;

import java.util.Objects;

/**
 * Saturation where a server has no bounded worker pool to read (virtual threads, a plain servlet container): the
 * requests in flight, counted by the drain's {@link InFlightTracker}, over a concurrency target the operator sets
 * ({@code readiness.saturation.concurrency-target}): the number of concurrent requests one instance is sized for.
 * There is no default: a made-up denominator would scale a fleet on a made-up number.
 */
public final class ConcurrencySaturation implements Saturation {

    private final InFlightTracker tracker;
    private final int target;

    private ConcurrencySaturation(InFlightTracker tracker, int target) {
        this.tracker = tracker;
        this.target = target;
    }

    /**
     * @throws IllegalArgumentException when {@code target} is not positive
     */
    public static ConcurrencySaturation of(InFlightTracker tracker, int target) {
        Objects.requireNonNull(tracker, "tracker");
        if (target < 1) {
            throw new IllegalArgumentException("concurrency target must be at least 1: " + target);
        }
        return new ConcurrencySaturation(tracker, target);
    }

    @Override
    public double value() {
        return (double) tracker.inFlight() / target;
    }

    @Override
    public String source() {
        return "in-flight";
    }

    @Override
    public String toString() {
        return "ConcurrencySaturation[target=" + target + "]";
    }
}
