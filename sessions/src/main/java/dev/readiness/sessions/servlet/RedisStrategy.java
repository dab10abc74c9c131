package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * {@code readiness.sessions.mode=redis}: Redis is the only store. The container creates no session; the cookie's
 * id names the Redis hash, and a save writes only the attributes the request changed.
 */
final class RedisStrategy implements SessionStrategy {

    private static final Logger log = LoggerFactory.getLogger(RedisStrategy.class);

    private final SessionRequest request;
    private boolean resolved;
    private RedisHttpSession session;

    RedisStrategy(SessionRequest request) {
        this.request = request;
    }

    @Override
    public HttpSession session(boolean create) {
        if (session != null && !session.isInvalid()) {
            return session;
        }
        if (!resolved) {
            resolved = true;
            Optional<StoredSession> stored = request.load(request.cookieId());
            if (stored.isPresent()) {
                session = new RedisHttpSession(request, stored.get());
                return session;
            }
        }
        if (!create) {
            return null;
        }
        if (request.containerResponse().isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response has been committed");
        }
        SessionFilter filter = request.filter();
        session = new RedisHttpSession(request, filter.ids().next(), filter.clock().millis(),
                filter.settings().maxInactiveInterval());
        request.writeCookie(session.getId());
        return session;
    }

    @Override
    public String changeId(HttpSession current) {
        RedisHttpSession s = (RedisHttpSession) current;
        SessionFilter filter = request.filter();
        rotate(request, s);
        request.writeCookie(s.getId());
        return s.getId();
    }

    /**
     * Moves {@code s} to a new id, {@code s.getId()} afterwards: through the store when it is stored, else at its
     * first save. Both modes' view of a Redis session rotates here.
     *
     * @return whether the store now holds {@code s} under the new id (false: not stored yet, or invalidated meanwhile)
     */
    static boolean rotate(SessionRequest request, RedisHttpSession s) {
        SessionFilter filter = request.filter();
        String oldId = s.getId();
        String newId = filter.ids().rotate(oldId);
        if (s.persisted()) {
            SaveResult r = request.store().rotate(oldId, s.rotation(newId));
            request.counted(r.commands());
            s.changeId(newId);
            if (r.saved()) {
                s.written(filter.clock().millis(), r.version());
                return true;
            }
            // Invalidated meanwhile (a logout elsewhere): the rotation wrote nothing, and the save will not either.
            log.debug("session {} was invalidated before its id changed", SessionIds.loggable(oldId));
        } else {
            s.newIdBeforeSave(newId);
        }
        return false;
    }

    @Override
    public void save() {
        RedisHttpSession s = session;
        if (s == null || s.isInvalid()) {
            return;
        }
        long now = request.filter().clock().millis();
        boolean refreshDue = now - s.storedAccessTime() >= request.filter().settings().refreshThreshold().toMillis();
        if (!s.dirty() && !refreshDue) {
            return;
        }
        SessionWrite write = s.delta();
        SaveResult r = request.store().save(write);
        request.counted(r.commands());
        if (r.status() == SaveResult.Status.EXISTS) {
            throw new IllegalStateException("session id collision on create; ids are random, so this is a bug");
        }
        if (!r.saved()) {
            // Invalidated (logout elsewhere) or expired since we loaded it: it stays gone.
            log.debug("session {} was invalidated or expired meanwhile; this request's changes are dropped",
                    SessionIds.loggable(s.getId()));
        }
        s.written(now, r.version());
    }

    @Override
    public void invalidated(String storedId) {
        if (storedId != null) {
            request.counted(1);
            request.store().delete(storedId);
        }
    }

    @Override
    public String requestedId() {
        return request.cookieId();
    }

    @Override
    public boolean requestedIdValid() {
        HttpSession s = session(false);
        return request.cookieId() != null && s != null && request.cookieId().equals(s.getId());
    }

    @Override
    public boolean requestedIdFromCookie() {
        return request.cookieId() != null;
    }

    @Override
    public boolean requestedIdFromUrl() {
        return false;
    }
}
