package dev.readiness.core.probe;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;

import java.time.Duration;

/** Told about every completed evaluation and every change between UP and DOWN; used by metrics. Must be fast and must not throw. */
public interface CheckListener {

    /**
     * @param probe    the probe the check belongs to
     * @param check    the check name
     * @param result   what the evaluation returned (a timeout is a DOWN result)
     * @param took     how long the evaluation ran
     * @param timedOut whether the evaluation was cut off by its timeout
     */
    void onResult(Probe probe, String check, CheckResult result, Duration took, boolean timedOut);

    /**
     * A check changed between UP and DOWN (the first result of a check, from UNKNOWN, is not a change).
     *
     * @param after     how long the change took: from the client's connection event when one announced it
     *                  ({@code fromEvent}), else from the last result that still said {@code from} (an upper bound:
     *                  the dependency changed somewhere in between)
     * @param fromEvent whether {@code after} counts from a connection event
     */
    default void onTransition(Probe probe, String check, Status from, Status to, Duration after, boolean fromEvent) {
    }
}
