package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStore;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The request as the application sees it behind {@link SessionFilter}. The session is loaded on the first
 * {@code getSession} call, never before, so a request that does not touch its session costs no Redis call.
 */
final class SessionRequest extends HttpServletRequestWrapper {

    private static final Logger log = LoggerFactory.getLogger(SessionRequest.class);

    private final SessionFilter filter;
    private final HttpServletResponse response;
    private final SessionResponse wrapped;
    private final String requestedId;
    private boolean resolved;
    private RedisHttpSession session;
    private MirroredSession mirrored;
    private int commands;
    private SessionStoreUnavailableException saveFailure;
    private SessionAsyncContext async;
    private boolean finished;

    SessionRequest(HttpServletRequest request, HttpServletResponse response, SessionFilter filter) {
        super(request);
        this.response = response;
        this.filter = filter;
        this.requestedId = readCookie(request, filter.settings().cookieName());
        this.wrapped = new SessionResponse(response, this);
    }

    SessionStore store() {
        return filter.store();
    }

    synchronized int commands() {
        return commands;
    }

    /** The response as the application sees it: it saves the session before anything can commit it. */
    SessionResponse response() {
        return wrapped;
    }

    /** The container's own response. */
    HttpServletResponse containerResponse() {
        return response;
    }

    // ---- asynchronous requests ----

    /**
     * The container's {@code startAsync()} would give {@code AsyncContext.getResponse()} the unwrapped response,
     * whose writes and commit no save precedes; this request and its response go in its place.
     */
    @Override
    public AsyncContext startAsync() {
        return async(super.startAsync(this, wrapped));
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return async(super.startAsync(request, response));
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext c = super.getAsyncContext();
        return c == null ? null : async(c);
    }

    private synchronized AsyncContext async(AsyncContext container) {
        if (async == null || async.delegate() != container) {
            async = new SessionAsyncContext(container, this);
            container.addListener(new Completion());
        }
        return async;
    }

    /** {@link SessionAsyncContext#complete()}: the save before the container commits the asynchronous response. */
    void beforeAsyncComplete() {
        filter.beforeAsyncComplete(this);
    }

    /** True the first time only: the request is reported once, whichever thread ends it. */
    synchronized boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }

    synchronized boolean saveFailed() {
        return saveFailure != null;
    }

    /** Reports the request once its asynchronous cycle completed; saves what changed after the response committed. */
    private final class Completion implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            filter.asyncCompleted(SessionRequest.this);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the container completes (or dispatches an error) next; onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // likewise
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new cycle (after a dispatch) keeps only the listeners that register again.
            event.getAsyncContext().addListener(this);
        }
    }

    /** The first well-formed session cookie; malformed values are ignored (and get a new session). */
    private static String readCookie(HttpServletRequest request, String name) {
        return sessionCookie(request.getHeaders("Cookie"), name);
    }

    /**
     * The value of the first cookie named {@code name} whose value is a well-formed session id, from the
     * {@code Cookie} headers ({@code name=value} pairs separated by {@code ;}, blanks around them ignored, a value
     * may be in double quotes), or null. Reads the headers itself: {@code getCookies()} would build and validate a
     * {@code Cookie} object for every cookie the browser sends, on every request.
     */
    static String sessionCookie(Enumeration<String> headers, String name) {
        if (headers == null) {
            return null;
        }
        while (headers.hasMoreElements()) {
            String h = headers.nextElement();
            int n = h == null ? 0 : h.length();
            for (int start = 0; start < n; ) {
                int end = h.indexOf(';', start);
                if (end < 0) {
                    end = n;
                }
                int eq = h.indexOf('=', start);
                if (eq > 0 && eq < end) {
                    int a = skipBlanks(h, start, eq);
                    int b = trimBlanks(h, a, eq);
                    int va = skipBlanks(h, eq + 1, end);
                    int vb = trimBlanks(h, va, end);
                    if (vb - va == SessionIds.LENGTH + 2 && h.charAt(va) == '"' && h.charAt(vb - 1) == '"') {
                        va++;
                        vb--;
                    }
                    if (b - a == name.length() && h.regionMatches(a, name, 0, b - a) && vb - va == SessionIds.LENGTH) {
                        String value = h.substring(va, vb);
                        if (SessionIds.isWellFormed(value)) {
                            return value;
                        }
                    }
                }
                start = end + 1;
            }
        }
        return null;
    }

    private static int skipBlanks(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimBlanks(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public synchronized HttpSession getSession(boolean create) {
        return filter.settings().mode() == SessionSettings.Mode.MIRROR ? mirrorSession(create) : redisSession(create);
    }

    private HttpSession redisSession(boolean create) {
        if (session != null && !session.isInvalid()) {
            return session;
        }
        if (!resolved) {
            resolved = true;
            Optional<StoredSession> stored = load(requestedId);
            if (stored.isPresent()) {
                session = new RedisHttpSession(this, stored.get());
                return session;
            }
        }
        if (!create) {
            return null;
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response has been committed");
        }
        session = new RedisHttpSession(this, filter.ids().next(), filter.clock().millis(),
                filter.settings().maxInactiveInterval());
        writeCookie(session.getId());
        return session;
    }

    private Optional<StoredSession> load(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Optional<StoredSession> s = store().load(id);
        if (s.isEmpty() || !s.get().cached()) {
            commands++;
        }
        return s;
    }

    @Override
    public synchronized String changeSessionId() {
        HttpSession current = getSession(false);
        if (current == null) {
            throw new IllegalStateException("no session to change the id of");
        }
        if (current instanceof MirroredSession m) {
            String id = super.changeSessionId(); // the container's fixation defence
            rotateMirror(m);
            return id;
        }
        RedisHttpSession s = (RedisHttpSession) current;
        String oldId = s.getId();
        String newId = filter.ids().rotate(oldId);
        if (s.persisted()) {
            SaveResult r = store().rotate(oldId, s.full(newId));
            commands += r.commands();
            s.changeId(newId);
            s.written(filter.clock().millis());
        } else {
            s.newIdBeforeSave(newId);
        }
        writeCookie(newId);
        return newId;
    }

    @Override
    public String getRequestedSessionId() {
        return filter.settings().mode() == SessionSettings.Mode.MIRROR && requestedId == null
                ? super.getRequestedSessionId() : requestedId;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        if (filter.settings().mode() == SessionSettings.Mode.MIRROR) {
            return super.isRequestedSessionIdValid() || (requestedId != null && getSession(false) != null);
        }
        HttpSession s = getSession(false);
        return requestedId != null && s != null && requestedId.equals(s.getId());
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return requestedId != null || (filter.settings().mode() == SessionSettings.Mode.MIRROR
                && super.isRequestedSessionIdFromCookie());
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return filter.settings().mode() == SessionSettings.Mode.MIRROR && super.isRequestedSessionIdFromURL();
    }

    /** RedisHttpSession.invalidate(): delete now, so concurrent requests cannot save it back. */
    synchronized void invalidated(RedisHttpSession s) {
        if (s.persisted()) {
            commands++;
            store().delete(s.getId());
        }
        expireCookie();
    }

    synchronized void mirrorInvalidated(String mirrorId) {
        if (mirrorId != null) {
            commands++;
            store().delete(mirrorId);
        }
        mirrored = null;
        expireCookie();
    }

    /**
     * Writes what this request changed, in one round trip. A session that was only read is refreshed when its
     * last write or refresh is older than the refresh threshold. Runs before the response commits; a second
     * call writes only what changed since, and costs no Redis call when nothing did. Once a save failed for want of
     * the store, later calls of the same request fail with that failure at once: the request answers 503 within
     * one command timeout, not one per write the application tries after the failure.
     */
    synchronized void commit() {
        if (saveFailure != null) {
            throw saveFailure;
        }
        try {
            save();
        } catch (SessionStoreUnavailableException e) {
            saveFailure = e;
            throw e;
        }
    }

    private void save() {
        if (mirrored != null) {
            commitMirror();
            return;
        }
        RedisHttpSession s = session;
        if (s == null || s.isInvalid()) {
            return;
        }
        long now = filter.clock().millis();
        boolean refreshDue = now - s.storedAccessTime() >= filter.settings().refreshThreshold().toMillis();
        if (!s.dirty() && !refreshDue) {
            return;
        }
        SessionWrite write = s.delta();
        SaveResult r = store().save(write);
        commands += r.commands();
        if (r.saved()) {
            s.written(now);
        } else {
            // Invalidated (logout elsewhere) or expired since we loaded it: it stays gone.
            log.debug("session {} was invalidated or expired meanwhile; this request's changes are dropped",
                    SessionIds.loggable(s.getId()));
            s.written(now);
        }
    }

    // ---- mirror mode ----

    private HttpSession mirrorSession(boolean create) {
        if (mirrored != null && !mirrored.isInvalid()) {
            return mirrored;
        }
        HttpServletRequest container = (HttpServletRequest) getRequest();
        HttpSession c = container.getSession(false);
        if (c == null && !resolved) {
            resolved = true;
            Optional<StoredSession> stored = load(requestedId);
            if (stored.isPresent()) {
                // Served from Redis: this instance never held it (it came from another instance or pod).
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
        mirrored = new MirroredSession(c, this);
        String id = mirrored.mirrorId();
        if (id == null) {
            id = filter.ids().next();
            c.setAttribute(MirroredSession.MIRROR_ID, id);
        }
        if (!id.equals(requestedId)) {
            writeCookie(id);
        }
        return mirrored;
    }

    private void rotateMirror(MirroredSession m) {
        String oldId = m.mirrorId();
        String newId = filter.ids().rotate(oldId);
        HttpSession c = m.container();
        if (c.getAttribute(MirroredSession.MIRRORED_AT) != null) {
            SaveResult r = store().rotate(oldId, fullMirror(c, newId));
            commands += r.commands();
            c.setAttribute(MirroredSession.MIRRORED_AT, filter.clock().millis());
            m.clean();
        }
        c.setAttribute(MirroredSession.MIRROR_ID, newId);
        writeCookie(newId);
    }

    private void commitMirror() {
        MirroredSession m = mirrored;
        if (m.isInvalid()) {
            return;
        }
        HttpSession c = m.container();
        Object at;
        try {
            at = c.getAttribute(MirroredSession.MIRRORED_AT);
        } catch (IllegalStateException invalidatedByContainer) {
            return;
        }
        long now = filter.clock().millis();
        boolean refreshDue = !(at instanceof Long l) || now - l >= filter.settings().refreshThreshold().toMillis();
        if (!m.dirty() && !refreshDue) {
            return;
        }
        // The container holds the truth: write its complete state, whatever Redis has.
        SaveResult r = store().replace(fullMirror(c, m.mirrorId()));
        commands += r.commands();
        c.setAttribute(MirroredSession.MIRRORED_AT, now);
        m.clean();
    }

    private SessionWrite fullMirror(HttpSession c, String id) {
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

    // ---- cookies ----

    private void writeCookie(String id) {
        response.addCookie(filter.cookie(id, (HttpServletRequest) getRequest(), -1));
    }

    private void expireCookie() {
        if (!response.isCommitted()) {
            response.addCookie(filter.cookie("", (HttpServletRequest) getRequest(), 0));
        }
    }
}
