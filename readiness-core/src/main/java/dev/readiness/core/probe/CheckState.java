package dev.readiness.core.probe;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Threshold logic for one check, with Kubernetes' meaning. Pure and single-threaded: the caller serialises.
 * <ul>
 *   <li>UNKNOWN (never completed): a failure makes it DOWN at once, {@code successThreshold} successes make it UP.</li>
 *   <li>UP: {@code failureThreshold} consecutive failures make it DOWN.</li>
 *   <li>DOWN: {@code successThreshold} consecutive successes make it UP.</li>
 *   <li>A connection lost and not restored within the grace ({@link #forceDown}) makes it DOWN at once.</li>
 * </ul>
 * Each change between UP and DOWN is kept as a {@link Transition} with how long it took: from the connection
 * event that announced it when there was one, else from the last result that still said the opposite.
 */
final class CheckState {

    private final Probe probe;
    private final String name;
    private final CheckOptions options;
    private Status status = Status.UNKNOWN;
    private int failures;
    private int successes;
    private CheckSnapshot snapshot;
    private long lastUpNanos;
    private long lastDownNanos;
    private long lostNanos;
    private boolean lostSeen;
    private long restoredNanos;
    private boolean restoredSeen;
    private Transition transition;

    /** A change between UP and DOWN, and how long after its first sign it was made. */
    record Transition(Status from, Status to, Duration after, boolean fromEvent) {
    }

    CheckState(Probe probe, String name, CheckOptions options) {
        this.probe = probe;
        this.name = name;
        this.options = options;
        this.snapshot = new CheckSnapshot(probe, name, Status.UNKNOWN, options.required(), "not evaluated yet",
                Map.of(), Duration.ZERO, null, 0, false, 0L, options.staleAfter().toNanos());
    }

    CheckSnapshot snapshot() {
        return snapshot;
    }

    Status status() {
        return status;
    }

    /** The client reported a lost connection at {@code nowNanos}. */
    void lost(long nowNanos) {
        if (!lostSeen) {
            lostSeen = true;
            lostNanos = nowNanos;
        }
    }

    /**
     * The client reported its connection back at {@code nowNanos}. The latest report counts: a connection that
     * flaps (back, a failing trial, back again) turns UP counted from the reconnect that held.
     */
    void restored(long nowNanos) {
        lostSeen = false;
        if (status == Status.DOWN) {
            restoredSeen = true;
            restoredNanos = nowNanos;
        }
    }

    /** The change the last record made between UP and DOWN, once; null when it made none. */
    Transition takeTransition() {
        Transition t = transition;
        transition = null;
        return t;
    }

    /** DOWN at once, whatever the failure threshold: a lost connection outlasted its grace. */
    CheckSnapshot forceDown(CheckResult result, long nowNanos, Instant now) {
        successes = 0;
        failures = Math.max(failures + 1, options.failureThreshold());
        moveTo(Status.DOWN, nowNanos);
        lastDownNanos = nowNanos;
        snapshot = new CheckSnapshot(probe, name, status, options.required(), result.message(), result.details(),
                Duration.ZERO, now, failures, false, nowNanos, options.staleAfter().toNanos());
        return snapshot;
    }

    private void moveTo(Status next, long nowNanos) {
        Status previous = status;
        if (previous == next) {
            return;
        }
        status = next;
        if (previous == Status.UP && next == Status.DOWN) {
            boolean event = lostSeen && lostNanos - lastUpNanos >= 0;
            transition = new Transition(previous, next, Duration.ofNanos(nowNanos - (event ? lostNanos : lastUpNanos)),
                    event);
        } else if (previous == Status.DOWN && next == Status.UP) {
            boolean event = restoredSeen && restoredNanos - lastDownNanos >= 0;
            transition = new Transition(previous, next,
                    Duration.ofNanos(nowNanos - (event ? restoredNanos : lastDownNanos)), event);
        }
        restoredSeen = false;
        if (next == Status.UP) {
            lostSeen = false;
        }
    }

    CheckSnapshot record(CheckResult result, Duration took, boolean timedOut, long nowNanos, Instant now) {
        String message = result.message();
        if (result.isUp()) {
            failures = 0;
            successes++;
            if (status != Status.UP && successes >= options.successThreshold()) {
                moveTo(Status.UP, nowNanos);
            } else if (status != Status.UP) {
                message = "recovering: " + successes + " of " + options.successThreshold() + " successes";
                if (status == Status.UNKNOWN) {
                    // still not passing, but say why
                    message = "starting: " + successes + " of " + options.successThreshold() + " successes";
                }
            }
        } else {
            successes = 0;
            failures++;
            if (status == Status.UNKNOWN || failures >= options.failureThreshold()) {
                moveTo(Status.DOWN, nowNanos);
            } else {
                message = "failing " + failures + " of " + options.failureThreshold() + ": " + message;
            }
        }
        if (status == Status.UP && result.isUp()) {
            lastUpNanos = nowNanos;
        } else if (status == Status.DOWN && !result.isUp()) {
            lastDownNanos = nowNanos;
        }
        snapshot = new CheckSnapshot(probe, name, status, options.required(), message, result.details(), took, now,
                failures, timedOut, nowNanos, options.staleAfter().toNanos());
        return snapshot;
    }
}
