package dev.readiness.core.check;

/**
 * A health check. There are exactly two kinds, and the kind decides where a check may be registered:
 * <ul>
 *   <li>{@link LocalCheck}: reads only in-process state (a deadlock detector, GC pressure, an internal queue).
 *       Allowed for liveness, readiness and startup.</li>
 *   <li>{@link DependencyCheck}: reaches something outside the process (a database, Redis, an HTTP service).
 *       Allowed for readiness and startup only: a liveness probe that fails because a shared dependency is down
 *       restarts every replica at once, and a restart cures nothing.</li>
 * </ul>
 */
public sealed interface Check permits LocalCheck, DependencyCheck {
}
