package dev.readiness.core.check;

/**
 * A check that reads only in-process state, and so is the only kind a liveness probe accepts.
 * It must not do I/O: no sockets, no JDBC, no client libraries. {@code ReadinessArchRules} in
 * readiness-testkit fails a build whose LocalCheck implementations reach the network.
 * <p>
 * A class must not implement both {@code LocalCheck} and {@link DependencyCheck}; registering such a class
 * for liveness fails with {@link IllegalArgumentException} (the sealed {@link Check} lets both interfaces be
 * implemented by users, so the compiler cannot forbid the pair).
 */
@FunctionalInterface
public non-sealed interface LocalCheck extends Check {

    /**
     * Evaluates the check. An exception counts as DOWN with the exception as the reason.
     */
    CheckResult check();

    /**
     * The check as a {@code LocalCheck} for liveness, for code that holds a {@link Check} whose kind is known only
     * at run time (a framework's check bean marked for liveness). Code that knows its check's type passes a
     * {@code LocalCheck} to {@code HealthRegistry.liveness} and never needs this.
     *
     * @param name  the check's name, for the message
     * @param check the check
     * @return {@code check}, typed
     * @throws IllegalArgumentException when {@code check} is a {@link DependencyCheck} (also when it is both kinds),
     *                                  with a message that says why liveness refuses it
     */
    static LocalCheck requireLocal(String name, Check check) {
        java.util.Objects.requireNonNull(check, "check");
        if (check instanceof LocalCheck local && !(check instanceof DependencyCheck)) {
            return local;
        }
        throw new IllegalArgumentException("check '" + name + "' (" + check.getClass().getName()
                + ") is a DependencyCheck and cannot be registered for liveness: a liveness probe that"
                + " fails when a shared dependency fails restarts every replica at once, and a restart"
                + " cures nothing. Register it for readiness instead.");
    }
}
