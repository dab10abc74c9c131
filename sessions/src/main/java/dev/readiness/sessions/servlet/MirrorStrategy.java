package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.time.Duration;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code readiness.sessions.mode=mirror}, the migration from sticky instances: the container's session stays the
 * truth and a save writes its complete state to Redis; a request whose container has no session for it is served
 * the Redis copy, put into a new container session (it was held by another instance or pod).
 */
final class MirrorStrategy implements SessionStrategy {

    private final SessionRequest request;
    private boolean resolved;
    private MirroredSession mirrored;

    MirrorStrategy(SessionRequest request) {
        this.request = request;
    }

    @Override
    public HttpSession session(boolean create) {
        if (mirrored != null && !mirrored.isInvalid()) {
            return mirrored;
        }
        HttpServletRequest container = request.container();
        HttpSession c = container.getSession(false);
        if (c == null && !resolved) {
            resolved = true;
            Optional<StoredSession> stored = request.load(request.cookieId());
            if (stored.isPresent()) {
                c = container.getSession(true);
                for (Map.Entry<String, Object> e : stored.get().attributes().entrySet()) {
                    c.setAttribute(e.getKey(), e.getValue());
                }
                c.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, stored.get().maxInactive().toSeconds()));
                c.setAttribute(MirroredSession.MIRROR_ID, stored.get().id());
                c.setAttribute(MirroredSession.MIRRORED_AT, stored.get().lastAccessTime());
            }
        }
        if (c == null) {
            if (!create) {
                return null;
            }
            c = container.getSession(true);
        }
        mirrored = new MirroredSession(c, request);
        String id = mirrored.mirrorId();
        if (id == null) {
            id = request.filter().ids().next();
            c.setAttribute(MirroredSession.MIRROR_ID, id);
        }
        if (!id.equals(request.cookieId())) {
            request.writeCookie(id);
        }
        return mirrored;
    }

    @Override
    public String changeId(HttpSession current) {
        MirroredSession m = (MirroredSession) current;
        String id = request.container().changeSessionId(); // the container's fixation defence
        String oldId = m.mirrorId();
        String newId = request.filter().ids().rotate(oldId);
        HttpSession c = m.container();
        if (c.getAttribute(MirroredSession.MIRRORED_AT) != null) {
            SaveResult r = request.store().rotate(oldId, full(c, newId));
            request.counted(r.commands());
            c.setAttribute(MirroredSession.MIRRORED_AT, request.filter().clock().millis());
            m.clean();
        }
        c.setAttribute(MirroredSession.MIRROR_ID, newId);
        request.writeCookie(newId);
        return id;
    }

    @Override
    public void save() {
        MirroredSession m = mirrored;
        if (m == null || m.isInvalid()) {
            return;
        }
        HttpSession c = m.container();
        Object at;
        try {
            at = c.getAttribute(MirroredSession.MIRRORED_AT);
        } catch (IllegalStateException invalidatedByContainer) {
            return;
        }
        long now = request.filter().clock().millis();
        boolean refreshDue = !(at instanceof Long l) || now - l >= request.filter().settings().refreshThreshold().toMillis();
        if (!m.dirty() && !refreshDue) {
            return;
        }
        // The container holds the truth: write its complete state, whatever Redis has.
        SaveResult r = request.store().replace(full(c, m.mirrorId()));
        request.counted(r.commands());
        c.setAttribute(MirroredSession.MIRRORED_AT, now);
        m.clean();
    }

    private static SessionWrite full(HttpSession c, String id) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Enumeration<String> e = c.getAttributeNames(); e.hasMoreElements(); ) {
            String n = e.nextElement();
            if (!n.startsWith(MirroredSession.INTERNAL)) {
                attributes.put(n, c.getAttribute(n));
            }
        }
        return new SessionWrite(id, null, c.getCreationTime(), Duration.ofSeconds(Math.max(1, c.getMaxInactiveInterval())),
                attributes, Set.of());
    }

    @Override
    public String requestedId() {
        return request.cookieId() == null ? request.container().getRequestedSessionId() : request.cookieId();
    }

    @Override
    public boolean requestedIdValid() {
        return request.container().isRequestedSessionIdValid()
                || (request.cookieId() != null && session(false) != null);
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
