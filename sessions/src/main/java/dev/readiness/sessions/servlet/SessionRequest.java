package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionStore;
import dev.readiness.sessions.SessionStoreUnavailableException;
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

import java.util.Enumeration;
import java.util.Optional;

/**
 * The request as the application sees it behind {@link SessionFilter}. The session is loaded on the first
 * {@code getSession} call, never before, so a request that does not touch its session costs no Redis call.
 */
final class SessionRequest extends HttpServletRequestWrapper {

    private final SessionFilter filter;
    private final HttpServletResponse response;
    private final SessionResponse wrapped;
    private final String requestedId;
    private final SessionStrategy strategy;
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
        this.strategy = SessionStrategy.of(filter.settings().mode(), this);
    }

    SessionStore store() {
        return filter.store();
    }

    SessionFilter filter() {
        return filter;
    }

    /** The well-formed session id of this request's cookie, or null. */
    String cookieId() {
        return requestedId;
    }

    /** The container's own request. */
    HttpServletRequest container() {
        return (HttpServletRequest) getRequest();
    }

    /** {@code n} more Redis commands spent on this request. */
    void counted(int n) {
        commands += n;
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
        return strategy.session(create);
    }

    /** The stored session {@code id} names, counting the Redis command a near-cache miss costs. */
    Optional<StoredSession> load(String id) {
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
        return strategy.changeId(current);
    }

    @Override
    public synchronized String getRequestedSessionId() {
        return strategy.requestedId();
    }

    @Override
    public synchronized boolean isRequestedSessionIdValid() {
        return strategy.requestedIdValid();
    }

    @Override
    public synchronized boolean isRequestedSessionIdFromCookie() {
        return strategy.requestedIdFromCookie();
    }

    @Override
    public synchronized boolean isRequestedSessionIdFromURL() {
        return strategy.requestedIdFromUrl();
    }

    /**
     * The application invalidated this request's session: deleted from Redis now ({@code storedId}, null when it
     * was never written), leaving a tombstone so that no request, on any instance, can save it back; and the
     * cookie expired.
     */
    synchronized void invalidated(String storedId) {
        strategy.invalidated(storedId);
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
        strategy.save();
    }

    // ---- cookies ----

    void writeCookie(String id) {
        response.addCookie(filter.cookie(id, (HttpServletRequest) getRequest(), -1));
    }

    void expireCookie() {
        if (!response.isCommitted()) {
            response.addCookie(filter.cookie("", (HttpServletRequest) getRequest(), 0));
        }
    }
}
