package dev.readiness.sessions;

/**
 * Outcome of a write.
 *
 * @param status   what happened
 * @param commands commands sent to the store (2 when a script had to be loaded again after NOSCRIPT)
 * @param bytes    payload bytes written
 * @param version  the session's version after the write (raised by one by every save), 0 when nothing was written
 */
public record SaveResult(Status status, int commands, int bytes, long version) {

    public enum Status {
        /** Written. */
        SAVED,
        /**
         * The session was invalidated or expired meanwhile (for a create: its id was invalidated); nothing was
         * written and it stays gone.
         */
        GONE,
        /** A create found its id taken (a mirror-mode copy created by a parallel request); nothing was written. */
        EXISTS
    }

    public boolean saved() {
        return status == Status.SAVED;
    }
}
