package dev.readiness.core.drain;

/** Where a drain is. Phases only move forward. */
public enum DrainPhase {
    /** No drain has begun. */
    SERVING,
    /** Readiness is DOWN; the service keeps serving while endpoints and load balancers catch up. */
    PROPAGATING,
    /** Accepting stopped, idle keep-alive connections closed; waiting for in-flight requests. */
    DRAINING,
    /** Closing registered resources in reverse order of registration. */
    CLOSING,
    /** Done; the process is about to exit. */
    STOPPED
}
