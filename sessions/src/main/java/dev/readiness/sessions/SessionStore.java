package dev.readiness.sessions;

import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.codec.AttributeCodec;

import java.util.Optional;

/**
 * Where sessions live, independent of servlets. Every method is at most one round trip to the store (a load
 * answered by a near cache is none; a save after a lost script cache is two); every write is atomic.
 */
public interface SessionStore extends AutoCloseable {

    /**
     * Loads a session. Attributes that cannot be decoded are dropped with a logged warning and counted.
     *
     * @return the session, or empty when it does not exist, expired, or {@code id} is not well formed
     * @throws SessionStoreUnavailableException when the store does not answer within the command timeout
     */
    Optional<StoredSession> load(String id);

    /**
     * Creates a session, or applies changes and refreshes the expiry of an existing one. An update never
     * brings back a session that was invalidated or expired meanwhile, nor does a create of an invalidated id
     * ({@link SaveResult.Status#GONE}). A create whose id exists writes nothing ({@link SaveResult.Status#EXISTS}).
     * Attributes changed by concurrent writers persist side by side; for one attribute the last write wins.
     *
     * @throws SessionTooLargeException         when the session would exceed the configured size
     * @throws SessionStoreUnavailableException when the store does not answer; nothing was written
     */
    SaveResult save(SessionWrite write);

    /**
     * Moves a session to {@code newId} (same hash slot, see {@link SessionIds#rotate}) in one atomic step: the
     * old id is dead afterwards (a tombstone, like {@link #delete}) and the new one holds the session with
     * {@code write}'s changes applied. A save that reached the old id after {@code write}'s base was loaded is
     * kept; when the old id expired in between, the new one gets the base with the changes.
     *
     * @param write the changes on top of {@code write.base()}, under the new id
     * @return {@link SaveResult.Status#GONE} when the old id was invalidated meanwhile (nothing written)
     * @throws SessionStoreUnavailableException when the store does not answer; nothing changed
     */
    SaveResult rotate(String oldId, SessionWrite write);

    /**
     * Invalidates a session (logout): its data is deleted and a tombstone kept until it would have expired
     * (and at least readiness.sessions.max-inactive-interval), so no later save, rotation or mirror-mode copy,
     * from any instance, brings it back.
     *
     * @throws SessionStoreUnavailableException when the store does not answer
     */
    void delete(String id);

    /** The codec attributes are stored with. */
    AttributeCodec codec();

    /** Largest session in bytes: each attribute's UTF-8 name and encoded value. */
    int maxSize();

    /** Most attributes a session holds ({@code readiness.sessions.max-attributes}). */
    default int maxAttributes() {
        return SessionSettings.MAX_ATTRIBUTES.defaultValue();
    }

    /** A readiness check: a PING on the store's own connection within the check's timeout. */
    DependencyCheck readinessCheck();

    /** Attributes dropped because they could not be decoded, since start. */
    long decodeFailures();

    @Override
    void close();
}
