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
 * </ul>
 */
final class CheckState {

    private final Probe probe;
    private final String name;
    private final CheckOptions options;
    private Status status = Status.UNKNOWN;
    private int failures;
    private int successes;
    private CheckSnapshot snapshot;

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

    CheckSnapshot record(CheckResult result, Duration took, boolean timedOut, long nowNanos, Instant now) {
        String message = result.message();
        if (result.isUp()) {
            failures = 0;
            successes++;
            if (status != Status.UP && successes >= options.successThreshold()) {
                status = Status.UP;
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
                status = Status.DOWN;
            } else {
                message = "failing " + failures + " of " + options.failureThreshold() + ": " + message;
            }
        }
        snapshot = new CheckSnapshot(probe, name, status, options.required(), message, result.details(), took, now,
                failures, timedOut, nowNanos, options.staleAfter().toNanos());
        return snapshot;
    }
}
