package dev.readiness.sessions;

/**
 * What a session store and the servlet filter report, for metrics. Every method defaults to a no-op.
 * {@link dev.readiness.sessions.micrometer.SessionMetrics} records them as meters.
 */
public interface SessionEvents {

    /** The events {@link #nearCache} reports. */
    java.util.List<String> NEAR_CACHE_EVENTS = java.util.List.of("hit", "miss", "invalidation", "flush");

    /** Reports nothing. */
    SessionEvents NONE = new SessionEvents() {
    };

    /** A session was loaded (or found absent) in {@code nanos}; {@code bytes} is the payload read. */
    default void loaded(long nanos, int bytes) {
    }

    /** A save, touch, rotation or delete took {@code nanos}; {@code bytes} is the payload written. */
    default void saved(long nanos, int bytes) {
    }

    /** An attribute could not be decoded and was dropped from the session. */
    default void decodeFailed(String attribute, Throwable cause) {
    }

    /** A Redis operation failed ({@code operation} is load, save, rotate, delete). */
    default void failed(String operation, Throwable cause) {
    }

    /**
     * The near cache: {@code hit} (a load answered without Redis), {@code miss}, {@code invalidation} (Redis said a
     * cached session changed) or {@code flush} (everything dropped: a disconnect, a failure).
     */
    default void nearCache(String event) {
    }

    /**
     * A save wrote {@code attributes} values the request had changed in place without a new {@code setAttribute}
     * ({@code readiness.sessions.save-mode=changed}).
     */
    default void changedInPlace(int attributes) {
    }

    /**
     * Mirror mode served a request from the container's session because Redis did not answer; its changes are
     * written to Redis once Redis answers again.
     */
    default void servedFromContainer() {
    }

    /** One HTTP request finished after sending {@code commands} commands to Redis. */
    default void requestCompleted(int commands) {
    }
}
