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

    /** The kinds {@link #failed(String, String, Throwable)} reports. */
    java.util.List<String> FAILURE_KINDS = java.util.List.of("timeout", "connection", "redis-error");

    /** A Redis operation failed ({@code operation} is connect, load, save, rotate, delete). */
    default void failed(String operation, Throwable cause) {
    }

    /**
     * A Redis operation failed, and how: {@code timeout} (no answer within the command timeout, or failed at once
     * while Redis is hung), {@code connection} (not connected, or the connection closed under the command) or
     * {@code redis-error} (Redis answered with an error reply: a script error, OOM, READONLY, a refused command).
     * Defaults to {@link #failed(String, Throwable)}.
     */
    default void failed(String operation, String kind, Throwable cause) {
        failed(operation, cause);
    }

    /** The reasons {@link #refused} reports. */
    java.util.List<String> REFUSALS = java.util.List.of("load-size", "load-attributes", "save-attributes",
            "class-not-allowed", "too-deep");

    /**
     * Something hostile or oversized was refused: {@code load-size} and {@code load-attributes} (a stored session
     * over max-size or max-attributes, not read), {@code save-attributes} (a save over max-attributes, not sent),
     * {@code class-not-allowed} and {@code too-deep} (an attribute the codec would not decode; it is also counted
     * by {@link #decodeFailed}).
     */
    default void refused(String reason) {
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

    /** The reasons {@link #unconfirmed} reports. */
    java.util.List<String> UNCONFIRMED = java.util.List.of("short", "skipped");

    /**
     * With {@code readiness.sessions.redis.wait-replicas}, a write applied on the master that fewer replicas
     * confirmed: {@code short} (its WAIT answered fewer, or failed) or {@code skipped} (sent without WAIT in the
     * pause after a short answer). The write itself succeeded.
     */
    default void unconfirmed(String reason) {
    }

    /** One HTTP request finished after sending {@code commands} commands to Redis. */
    default void requestCompleted(int commands) {
    }
}
