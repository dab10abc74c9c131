package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.http.HttpSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code readiness.sessions.mode=mirror}, the migration from sticky instances, with or without affinity at the load
 * balancer. While Redis answers, Redis holds the truth exactly as in redis mode: the request is served the session
 * its cookie names as Redis has it (one round trip to load, none from the near cache), a save writes only what the
 * request changed, and an invalidation leaves a tombstone. So whichever instance a request reaches, old or new, it
 * sees the newest data, and no instance writes an older copy over it.
 * <p>
 * The container's own session keeps a copy, brought up to date whenever the session changed (its version tells),
 * which is the old fleet's safety net:
 * <ul>
 *   <li>while Redis does not answer, a request whose session the container holds is served from that copy
 *       (counted, one WARN per outage); what it changes is noted in the copy and written to Redis, attribute by
 *       attribute, by the first request that finds Redis answering again;</li>
 *   <li>a copy Redis lacks (created or kept during an outage) is created in Redis; when Redis holds a tombstone
 *       for it instead (a logout on another instance), the copy is dropped and the request has no session;</li>
 *   <li>a copy of a session other than the one the cookie names (the user's session changed elsewhere) is dropped.</li>
 * </ul>
 * A request that needs a session the container does not hold while Redis does not answer fails with 503, as in
 * redis mode, unless this instance invalidated it (the last 10,000 it invalidated are remembered): then it has
 * none.
 */
final class MirrorStrategy implements SessionStrategy {

    static final String INTERNAL = MirroredSession.INTERNAL;
    /** The Redis id the container's copy belongs to. */
    static final String MIRROR_ID = INTERNAL + "id";
    /** The Redis version the copy equals. */
    static final String VERSION = INTERNAL + "version";
    /** Attributes changed on the copy while Redis did not answer: a {@code HashSet<String>}. */
    static final String PENDING = INTERNAL + "pending";

    private final SessionRequest request;
    private boolean resolved;
    private boolean unavailable;
    private RedisHttpSession session;
    private MirroredSession fallback;
    private HttpSession copy;

    MirrorStrategy(SessionRequest request) {
        this.request = request;
    }

    @Override
    public HttpSession session(boolean create) {
        if (session != null && !session.isInvalid()) {
            return session;
        }
        if (fallback != null && !fallback.isInvalid()) {
            return fallback;
        }
        if (!resolved) {
            resolved = true;
            resolve();
            if (session != null) {
                return session;
            }
            if (fallback != null) {
                return fallback;
            }
        }
        if (!create) {
            return null;
        }
        if (request.containerResponse().isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response has been committed");
        }
        SessionFilter filter = request.filter();
        String id = filter.ids().next();
        if (unavailable) {
            // Redis did not answer this request: the new session lives in the container until it does.
            HttpSession c = request.container().getSession(true);
            c.setAttribute(MIRROR_ID, id);
            copy = c;
            fallback = new MirroredSession(c, request, id);
        } else {
            session = new RedisHttpSession(request, id, filter.clock().millis(), filter.settings().maxInactiveInterval());
        }
        request.writeCookie(id);
        return session != null ? session : fallback;
    }

    /** Finds the session the cookie names: in Redis, else in the container's copy while Redis does not answer. */
    private void resolve() {
        HttpSession c = request.container().getSession(false);
        String copyId = c == null ? null : attribute(c, MIRROR_ID, String.class);
        String id = request.cookieId() != null ? request.cookieId() : copyId;
        if (c != null && !Objects.equals(copyId, id)) {
            drop(c); // a copy of a session the browser no longer uses
            c = null;
        }
        copy = c;
        if (id == null) {
            return;
        }
        Optional<StoredSession> stored;
        try {
            stored = request.load(id);
        } catch (SessionStoreUnavailableException e) {
            if (e instanceof dev.readiness.sessions.SessionRefusedException) {
                throw e; // Redis answered: the session is too large to read, not out of reach; 503, as in redis mode
            }
            if (c == null) {
                if (request.filter().invalidatedHere(id)) {
                    return; // logged out on this instance: no session, as Redis's tombstone would say
                }
                throw e; // nothing to serve it from: 503, as in redis mode
            }
            serveFromCopy(c, id, e);
            return;
        }
        request.filter().mirrorAnswered(request);
        if (stored.isPresent()) {
            session = new RedisHttpSession(request, stored.get());
            if (c != null) {
                applyPending(c, session);
            }
        } else if (c != null) {
            createFromCopy(c, id);
        }
    }

    /**
     * Redis lacks the session the container holds: it was created or changed while Redis did not answer (or it
     * expired there first). Created from the copy unless a tombstone says it was invalidated.
     */
    private void createFromCopy(HttpSession c, String id) {
        Map<String, Object> attributes = copyAttributes(c);
        Duration maxInactive = Duration.ofSeconds(Math.max(1, c.getMaxInactiveInterval()));
        SaveResult r;
        try {
            r = request.store().save(new SessionWrite(id, null, c.getCreationTime(), maxInactive, attributes, Set.of()));
        } catch (SessionStoreUnavailableException e) {
            serveFromCopy(c, id, e);
            return;
        }
        request.counted(r.commands());
        if (r.status() == SaveResult.Status.EXISTS) {
            // A parallel request of the same session created it from this copy first: take what it wrote.
            Optional<StoredSession> stored;
            try {
                stored = request.load(id);
            } catch (SessionStoreUnavailableException e) {
                serveFromCopy(c, id, e);
                return;
            }
            if (stored.isPresent()) {
                session = new RedisHttpSession(request, stored.get());
                applyPending(c, session);
            } else {
                drop(c);
                copy = null;
            }
            return;
        }
        if (!r.saved()) {
            drop(c); // invalidated on another instance
            copy = null;
            return;
        }
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, byte[]> encoded = new HashMap<>();
        attributes.forEach((k, v) -> {
            byte[] b = request.store().codec().encode(v);
            sizes.put(k, b.length);
            encoded.put(k, b);
        });
        long now = request.filter().clock().millis();
        session = new RedisHttpSession(request, new StoredSession(id, c.getCreationTime(), now, maxInactive, attributes,
                sizes, Set.of(), false, r.version(), encoded));
        c.removeAttribute(PENDING);
        c.setAttribute(VERSION, r.version());
    }

    private void serveFromCopy(HttpSession c, String id, SessionStoreUnavailableException e) {
        unavailable = true;
        request.filter().mirrorUnavailable(e);
        fallback = new MirroredSession(c, request, id);
    }

    /** Changes the copy received while Redis did not answer, applied to the session as Redis has it. */
    private static void applyPending(HttpSession c, RedisHttpSession s) {
        Set<?> pending = attribute(c, PENDING, Set.class);
        if (pending == null) {
            return;
        }
        for (Object name : pending) {
            if (name instanceof String n && !n.startsWith(INTERNAL)) {
                Object v = c.getAttribute(n);
                if (v == null) {
                    s.removeAttribute(n);
                } else {
                    s.setAttribute(n, v);
                }
            }
        }
    }

    @Override
    public String changeId(HttpSession current) {
        SessionFilter filter = request.filter();
        HttpSession c = liveCopy();
        if (c != null) {
            request.container().changeSessionId(); // the container's own fixation defence
        }
        if (current instanceof MirroredSession m) {
            // Redis does not answer: the copy moves to the new id; the old one is deleted once Redis answers.
            String newId = filter.ids().rotate(m.getId());
            filter.deleteLater(m.getId());
            m.container().setAttribute(MIRROR_ID, newId);
            m.container().setAttribute(PENDING, new HashSet<>(copyAttributes(m.container()).keySet()));
            m.container().removeAttribute(VERSION);
            fallback = new MirroredSession(m.container(), request, newId);
            request.writeCookie(newId);
            return newId;
        }
        RedisHttpSession s = (RedisHttpSession) current;
        if (RedisStrategy.rotate(request, s)) {
            sync(s, Set.of()); // the copy follows the rotated session
        }
        request.writeCookie(s.getId());
        return s.getId();
    }

    @Override
    public void save() {
        RedisHttpSession s = session;
        if (s == null || s.isInvalid()) {
            return; // a copy served while Redis did not answer holds its changes and their names already
        }
        long now = request.filter().clock().millis();
        boolean refreshDue = now - s.storedAccessTime() >= request.filter().settings().refreshThreshold().toMillis();
        boolean dirty = s.dirty();
        if (dirty || refreshDue) {
            SessionWrite write = s.delta();
            SaveResult r;
            try {
                r = request.store().save(write);
            } catch (SessionStoreUnavailableException e) {
                // Redis stopped answering during the request: the copy keeps the change until it answers again.
                request.filter().mirrorUnavailable(e);
                Set<String> pending = new HashSet<>(write.changed().keySet());
                pending.addAll(write.removed());
                if (write.creates()) {
                    pending.addAll(s.attributes().keySet());
                }
                sync(s, pending);
                return;
            }
            request.counted(r.commands());
            s.written(now, r.version());
            if (!r.saved()) {
                HttpSession c = liveCopy();
                if (c != null) {
                    drop(c); // invalidated elsewhere, or expired: the copy must not bring it back
                }
                return;
            }
        }
        HttpSession c = liveCopy();
        Long at = c == null ? null : attribute(c, VERSION, Long.class);
        if (dirty || at == null || at != s.version() || attribute(c, PENDING, Set.class) != null) {
            sync(s, Set.of());
        }
    }

    /**
     * Brings the container's copy to the session's state: every attribute, the expiry, the id and version it
     * equals, and {@code pending} (attributes Redis has not received) added to those already noted; none noted
     * when empty.
     */
    private void sync(RedisHttpSession s, Set<String> pending) {
        HttpSession c = liveCopy();
        if (c == null) {
            try {
                c = request.container().getSession(true);
            } catch (IllegalStateException committed) {
                return; // the response is committed: the copy is made by the session's next request
            }
            copy = c;
        }
        Map<String, Object> attributes = s.attributes();
        List<String> stale = new ArrayList<>();
        for (Enumeration<String> e = c.getAttributeNames(); e.hasMoreElements(); ) {
            String n = e.nextElement();
            if (!n.startsWith(INTERNAL) && !attributes.containsKey(n)) {
                stale.add(n);
            }
        }
        stale.forEach(c::removeAttribute);
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            if (c.getAttribute(e.getKey()) != e.getValue()) {
                c.setAttribute(e.getKey(), e.getValue());
            }
        }
        c.setMaxInactiveInterval(s.getMaxInactiveInterval());
        c.setAttribute(MIRROR_ID, s.getId());
        if (pending.isEmpty()) {
            c.setAttribute(VERSION, s.version());
            c.removeAttribute(PENDING);
        } else {
            notePending(c, pending);
        }
    }

    /**
     * Adds {@code names} to the attributes the copy changed while Redis did not answer; the copy then equals no
     * version of Redis's session.
     */
    static void notePending(HttpSession c, Set<String> names) {
        Set<?> before = attribute(c, PENDING, Set.class);
        if (before != null && before.containsAll(names)) {
            return;
        }
        Set<String> all = new HashSet<>(names);
        if (before != null) {
            before.forEach(n -> all.add(String.valueOf(n)));
        }
        c.setAttribute(PENDING, all);
        c.removeAttribute(VERSION);
    }

    @Override
    public void invalidated(String storedId) {
        HttpSession c = liveCopy();
        if (c != null) {
            drop(c);
        }
        copy = null;
        if (storedId == null) {
            return;
        }
        request.filter().noteInvalidated(storedId);
        try {
            request.counted(1);
            request.store().delete(storedId);
        } catch (SessionStoreUnavailableException e) {
            // The logout holds here now, and everywhere once Redis answers again.
            request.filter().mirrorUnavailable(e);
            request.filter().deleteLater(storedId);
        }
    }

    /** The copy, unless the container expired or invalidated it meanwhile. */
    private HttpSession liveCopy() {
        HttpSession c = copy;
        if (c == null) {
            return null;
        }
        try {
            c.getCreationTime();
            return c;
        } catch (IllegalStateException invalidated) {
            copy = null;
            return null;
        }
    }

    private static void drop(HttpSession c) {
        try {
            c.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
            // nothing to drop
        }
    }

    static Map<String, Object> copyAttributes(HttpSession c) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Enumeration<String> e = c.getAttributeNames(); e.hasMoreElements(); ) {
            String n = e.nextElement();
            if (!n.startsWith(INTERNAL)) {
                attributes.put(n, c.getAttribute(n));
            }
        }
        return attributes;
    }

    private static <T> T attribute(HttpSession c, String name, Class<T> type) {
        try {
            Object v = c.getAttribute(name);
            return type.isInstance(v) ? type.cast(v) : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    @Override
    public String requestedId() {
        return request.cookieId() == null ? request.container().getRequestedSessionId() : request.cookieId();
    }

    @Override
    public boolean requestedIdValid() {
        return request.cookieId() != null && session(false) != null;
    }

    @Override
    public boolean requestedIdFromCookie() {
        return request.cookieId() != null || request.container().isRequestedSessionIdFromCookie();
    }

    @Override
    public boolean requestedIdFromUrl() {
        return request.container().isRequestedSessionIdFromURL();
    }
}
