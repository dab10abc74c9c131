package dev.readiness.sessions;

/**
 * The store holds the session the request names, but will not read it: it is over
 * {@code readiness.sessions.max-size} or {@code readiness.sessions.max-attributes} (written by an older release,
 * under larger limits, or by another client). Nothing was read into memory and the stored session is left as it
 * is, so no data is lost: an instance with larger limits (or the writer that made it) can still serve it, and it
 * expires as any session does. The servlet filter answers 503, as for a store that does not answer; the cookie is
 * kept, so the session is not replaced by an empty one.
 */
public class SessionRefusedException extends SessionStoreUnavailableException {

    private final String reason;

    /** @param reason what {@link SessionEvents#refused} counts: {@code load-size} or {@code load-attributes} */
    public SessionRefusedException(String message, String reason) {
        super(message, null);
        this.reason = reason;
    }

    /** {@code load-size} or {@code load-attributes}. */
    public String reason() {
        return reason;
    }
}
