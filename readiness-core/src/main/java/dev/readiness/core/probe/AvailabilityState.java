package dev.readiness.core.probe;

/**
 * The lifecycle of a service as its probes see it:
 * {@code STARTING -> READY <-> NOT_READY -> DRAINING -> STOPPED}. DRAINING and STOPPED are never left.
 */
public enum AvailabilityState {
    /** Startup has not completed: the application has not said so, or a startup check is not UP yet. */
    STARTING,
    /** Started, and every required readiness check is UP. */
    READY,
    /** Started, but a required readiness check is DOWN or traffic was refused by the application. */
    NOT_READY,
    /** Shutting down: readiness is DOWN for good, liveness stays UP while in-flight work finishes. */
    DRAINING,
    /** Drain finished; the process is about to exit. */
    STOPPED;

    /** Whether this state lets the readiness probe answer UP. */
    public boolean acceptsTraffic() {
        return this == READY;
    }
}
