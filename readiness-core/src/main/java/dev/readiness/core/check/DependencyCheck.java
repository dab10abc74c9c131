package dev.readiness.core.check;

import java.time.Duration;

/**
 * A check on something outside the process: a database, Redis, a downstream HTTP service. Allowed for
 * readiness and startup, never for liveness.
 * <p>
 * Implementations should give up by themselves within {@code timeout}. They need not be exact: the engine
 * marks an evaluation that runs past its timeout DOWN and interrupts it, and never starts a second evaluation
 * while one is still in flight, so a hung dependency costs one thread, never a slow probe.
 */
@FunctionalInterface
public non-sealed interface DependencyCheck extends Check {

    /**
     * Evaluates the check.
     *
     * @param timeout how long this evaluation may take
     * @return the result; an exception counts as DOWN with the exception as the reason
     * @throws Exception any failure, reported as DOWN
     */
    CheckResult check(Duration timeout) throws Exception;
}
