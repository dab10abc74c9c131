package dev.readiness.core.probe;

import dev.readiness.core.check.CheckResult;

import java.time.Duration;

/** Told about every completed evaluation; used by metrics. Must be fast and must not throw. */
public interface CheckListener {

    /**
     * @param probe    the probe the check belongs to
     * @param check    the check name
     * @param result   what the evaluation returned (a timeout is a DOWN result)
     * @param took     how long the evaluation ran
     * @param timedOut whether the evaluation was cut off by its timeout
     */
    void onResult(Probe probe, String check, CheckResult result, Duration took, boolean timedOut);
}
