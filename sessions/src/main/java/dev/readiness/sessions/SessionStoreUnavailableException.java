package dev.readiness.sessions;

/**
 * The session store did not answer (down, hung past the command timeout, unreachable). Nothing was written.
 * The servlet filter turns it into a 503.
 */
public class SessionStoreUnavailableException extends RuntimeException {

    public SessionStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
