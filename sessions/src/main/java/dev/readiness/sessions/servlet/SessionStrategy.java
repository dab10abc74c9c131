package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import jakarta.servlet.http.HttpSession;

/**
 * What {@code readiness.sessions.mode} changes in a request: where its session comes from, how its id rotates, what
 * a save writes, and which id it reports as requested. One class per mode; {@link SessionRequest} holds the rest
 * (cookie, command count, save failure, asynchronous cycle) and calls these under its lock.
 */
sealed interface SessionStrategy permits RedisStrategy, MirrorStrategy {

    static SessionStrategy of(SessionSettings.Mode mode, SessionRequest request) {
        return switch (mode) {
            case REDIS -> new RedisStrategy(request);
            case MIRROR -> new MirrorStrategy(request);
        };
    }

    /** {@code getSession(create)}: loaded on the first call, never before. */
    HttpSession session(boolean create);

    /** {@code changeSessionId()} of {@code current}, this request's live session; the new id. */
    String changeId(HttpSession current);

    /** Writes what the request changed; nothing when nothing did and no refresh is due. */
    void save();

    /**
     * The application invalidated this request's session: {@code storedId} (null when it was never written) is
     * deleted from the store, leaving a tombstone.
     */
    void invalidated(String storedId);

    String requestedId();

    boolean requestedIdValid();

    boolean requestedIdFromCookie();

    boolean requestedIdFromUrl();
}
