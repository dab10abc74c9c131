package dev.readiness.core.check;

/**
 * A check that reads only in-process state, and so is the only kind a liveness probe accepts.
 * It must not do I/O: no sockets, no JDBC, no client libraries. {@code ReadinessArchRules} in
 * readiness-testkit fails a build whose LocalCheck implementations reach the network.
 * <p>
 * A class must not implement both {@code LocalCheck} and {@link DependencyCheck}; registering such a class
 * for liveness fails with {@link IllegalArgumentException}.
 */
@FunctionalInterface
public non-sealed interface LocalCheck extends Check {

    /**
     * Evaluates the check. An exception counts as DOWN with the exception as the reason.
     */
    CheckResult check();
}
