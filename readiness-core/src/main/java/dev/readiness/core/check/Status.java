package dev.readiness.core.check;

/** The outcome of one check, or of a probe as a whole. */
public enum Status {
    /** The check passed. */
    UP,
    /** The check failed, timed out, or its last result is stale. */
    DOWN,
    /** The check has not completed yet. Readiness and startup treat it as not passing; liveness as passing. */
    UNKNOWN
}
