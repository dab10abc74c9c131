package dev.readiness.sessions;

/**
 * Outcome of a write.
 *
 * @param status   what happened
 * @param commands commands sent to the store (2 when a script had to be loaded again after NOSCRIPT)
 * @param bytes    payload bytes written
 */
public record SaveResult(Status status, int commands, int bytes) {

    public enum Status {
        /** Written. */
        SAVED,
        /** The session was invalidated or expired meanwhile; nothing was written and it stays gone. */
        GONE
    }

    public boolean saved() {
        return status == Status.SAVED;
    }
}
