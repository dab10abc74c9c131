package dev.readiness.sessions;

/**
 * A session would exceed {@code readiness.sessions.max-size}. Thrown by {@code setAttribute} (and at save),
 * never answered by silent truncation.
 */
public class SessionTooLargeException extends IllegalStateException {

    private final int size;
    private final int limit;

    public SessionTooLargeException(String message, int size, int limit) {
        super(message);
        this.size = size;
        this.limit = limit;
    }

    /** Encoded size the session would have, in bytes. */
    public int size() {
        return size;
    }

    /** The configured limit in bytes. */
    public int limit() {
        return limit;
    }
}
