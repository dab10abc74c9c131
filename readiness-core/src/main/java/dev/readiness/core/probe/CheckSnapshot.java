package dev.readiness.core.probe;

import dev.readiness.core.check.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The state of one registered check at one moment: its status after thresholds and staleness, and what its
 * last evaluation said. Immutable.
 *
 * @param probe                the probe it is registered for
 * @param name                 the check name, unique within its probe
 * @param status               UP, DOWN or UNKNOWN (not completed yet)
 * @param required             whether DOWN takes the probe DOWN
 * @param message              the reason given by the last evaluation, or why the check is DOWN
 * @param details              facts reported by the last evaluation
 * @param lastDuration         how long the last evaluation ran ({@link Duration#ZERO} before the first)
 * @param lastCompleted        wall-clock time of the last completed evaluation, {@code null} before the first
 * @param consecutiveFailures  failures in a row, reset by a success
 * @param timedOut             whether the last evaluation was cut off by its timeout
 * @param completedNanos       ticker time of the last completed evaluation (for staleness)
 * @param staleAfterNanos      how old a result may grow before it counts as DOWN
 */
public record CheckSnapshot(
        Probe probe,
        String name,
        Status status,
        boolean required,
        String message,
        Map<String, Object> details,
        Duration lastDuration,
        Instant lastCompleted,
        int consecutiveFailures,
        boolean timedOut,
        long completedNanos,
        long staleAfterNanos) {

    /** Whether this check lets its probe answer UP (liveness also accepts UNKNOWN). */
    boolean passes(Probe p) {
        return status == Status.UP || (p == Probe.LIVENESS && status == Status.UNKNOWN);
    }

    /** Ticker time after which this snapshot turns stale, or {@link Long#MAX_VALUE} when it cannot. */
    long staleAtNanos() {
        return status == Status.UNKNOWN || lastCompleted == null ? Long.MAX_VALUE : completedNanos + staleAfterNanos;
    }

    /** This snapshot as seen at {@code nowNanos}: DOWN when its result has grown stale. */
    CheckSnapshot at(long nowNanos) {
        if (nowNanos - staleAtNanos() <= 0 || staleAtNanos() == Long.MAX_VALUE) {
            return this;
        }
        long ageMillis = (nowNanos - completedNanos) / 1_000_000;
        return new CheckSnapshot(probe, name, Status.DOWN, required,
                "stale: last result is " + ageMillis + " ms old (limit " + staleAfterNanos / 1_000_000 + " ms)",
                details, lastDuration, lastCompleted, consecutiveFailures, timedOut, completedNanos, staleAfterNanos);
    }
}
