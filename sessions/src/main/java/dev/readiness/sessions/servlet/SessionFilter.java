package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStore;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionTooLargeException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * After this filter, {@code request.getSession()} returns a session kept in the {@link SessionStore}.
 * Register it before anything that touches the session (first in the chain).
 * <ul>
 *   <li>Cookie: {@code readiness.sessions.cookie.name} (SESSION), HttpOnly, Secure (unless configured off),
 *       SameSite=Lax, Path = the context path. Ids: {@link SessionIds}. A malformed or unknown cookie gets a new
 *       session; its value is never used as an id.</li>
 *   <li>The session is loaded on the first {@code getSession} (one round trip) and its changes saved before the
 *       response can commit (one round trip, before the first byte of the body: {@link SessionResponse}), so once a
 *       client has a response, every later request of the session, on any instance, sees that request's changes.
 *       A change made after the response committed (a streamed response) is saved when it completes. A request
 *       that does not touch its session makes no Redis call.</li>
 *   <li>Asynchronous requests: {@code AsyncContext.complete()} saves before the container commits, on whichever
 *       thread calls it. Register the filter for {@code ASYNC} dispatches too (as the Spring Boot starter does) when
 *       an asynchronous cycle dispatches back into the container.</li>
 *   <li>Redis unavailable: the request fails with 503 and {@code Retry-After: 1} within the command timeout
 *       while the response is still uncommitted; nothing is reported saved that was not.</li>
 *   <li>Mirror mode ({@code readiness.sessions.mode=mirror}), the migration from sticky instances: Redis holds the
 *       truth while it answers, the container's session a copy that serves while it does not
 *       ({@link MirrorStrategy}); see the sessions guide.</li>
 * </ul>
 */
public final class SessionFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(SessionFilter.class);
    private static final String APPLIED = SessionFilter.class.getName() + ".applied";

    private final SessionStore store;
    private final SessionSettings settings;
    private final SessionEvents events;
    private final SessionIds ids;
    private final Clock clock;
    /** Mirror mode: invalidations made while Redis did not answer, written as tombstones once it answers. */
    private final Set<String> deleteLater = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong servedFromContainer = new AtomicLong();
    /** Mirror mode: the ids this instance invalidated last, so a Redis outage does not make them a 503. */
    private final Set<String> invalidatedHere = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<String, Boolean>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            }));

    public SessionFilter(SessionStore store, SessionSettings settings) {
        this(store, settings, SessionEvents.NONE);
    }

    /** @param events receives the Redis commands of each request (e.g. {@code SessionMetrics}) */
    public SessionFilter(SessionStore store, SessionSettings settings, SessionEvents events) {
        this(store, settings, events, new SessionIds(), Clock.systemUTC());
    }

    SessionFilter(SessionStore store, SessionSettings settings, SessionEvents events, SessionIds ids, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.ids = ids;
        this.clock = clock;
    }

    SessionEvents events() {
        return events;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest http) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        Object applied = req.getAttribute(APPLIED);
        if (applied != null) {
            if (applied instanceof SessionRequest owner && req.getDispatcherType() == DispatcherType.ASYNC) {
                // An asynchronous cycle dispatched back into the container, which completes the response once
                // this dispatch returns: what the dispatch changed is saved before that.
                handle(owner, () -> chain.doFilter(req, res));
            } else {
                chain.doFilter(req, res);
            }
            return;
        }
        SessionRequest request = new SessionRequest(http, response, this);
        req.setAttribute(APPLIED, request);
        handle(request, () -> chain.doFilter(request, request.response()));
    }

    private interface Chain {
        void run() throws IOException, ServletException;
    }

    private void handle(SessionRequest request, Chain chain) throws IOException, ServletException {
        boolean async = false;
        try {
            chain.run();
            async = request.isAsyncStarted();
            if (async) {
                // Completed on another thread: SessionAsyncContext.complete() saves before the container commits,
                // and the completion (registered here, should the application have gone around the wrapper)
                // reports the request.
                request.getAsyncContext();
                return;
            }
            request.commit();
        } catch (IOException | ServletException | RuntimeException e) {
            if (!answerUnavailable(request.containerResponse(), e)) {
                throw e;
            }
        } finally {
            if (!async && request.finish()) {
                events.requestCompleted(request.commands());
            }
        }
    }

    /**
     * Turns a failure of the store into a 503 while the response is uncommitted.
     *
     * @return false when {@code e} is to be rethrown: another failure, or a response already committed
     */
    private static boolean answerUnavailable(HttpServletResponse response, Throwable e) throws IOException {
        SessionStoreUnavailableException unavailable = find(e, SessionStoreUnavailableException.class);
        if (unavailable == null) {
            SessionTooLargeException tooLarge = find(e, SessionTooLargeException.class);
            if (tooLarge != null && !response.isCommitted()) {
                log.error("session too large: {}", tooLarge.getMessage());
            }
            return false;
        }
        if (response.isCommitted()) {
            log.error("session store failed after the response was committed; the client may have seen success"
                    + " for a session write that did not happen: {}", unavailable.getMessage());
            return false;
        }
        log.warn("answering 503: {}", unavailable.getMessage());
        response.reset();
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "1");
        response.setContentType("text/plain;charset=utf-8");
        response.getOutputStream().write("session store unavailable\n".getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /** An asynchronous response about to complete: saved first, and a failed save answers 503 (500 otherwise). */
    void beforeAsyncComplete(SessionRequest request) {
        HttpServletResponse response = request.containerResponse();
        if (response.isCommitted()) {
            return; // changed after it committed, if at all: saved at the completion
        }
        try {
            request.commit();
        } catch (RuntimeException e) {
            try {
                if (!answerUnavailable(response, e) && !response.isCommitted()) {
                    log.error("session save failed before the asynchronous response completed; answering 500", e);
                    response.reset();
                    response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                }
            } catch (IOException | RuntimeException answering) {
                log.warn("could not answer the failed session save: {}", answering.toString());
            }
        }
    }

    /** The container completed an asynchronous response: what changed after it committed is saved now. */
    void asyncCompleted(SessionRequest request) {
        if (!request.finish()) {
            return;
        }
        try {
            if (!request.saveFailed()) {
                request.commit();
            }
        } catch (RuntimeException e) {
            log.error("session save failed after the asynchronous response was committed; the client may have seen"
                    + " success for a session write that did not happen: {}", e.toString());
        } finally {
            events.requestCompleted(request.commands());
        }
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    Cookie cookie(String value, HttpServletRequest request, int maxAge) {
        Cookie c = new Cookie(settings.cookieName(), value);
        c.setHttpOnly(true);
        c.setSecure(settings.cookieSecure());
        String path = settings.cookiePath().orElseGet(() -> {
            String ctx = request.getContextPath();
            return ctx == null || ctx.isEmpty() ? "/" : ctx;
        });
        c.setPath(path);
        c.setAttribute("SameSite", settings.sameSite());
        if (maxAge >= 0) {
            c.setMaxAge(maxAge);
        }
        return c;
    }

    SessionStore store() {
        return store;
    }

    SessionSettings settings() {
        return settings;
    }

    SessionIds ids() {
        return ids;
    }

    Clock clock() {
        return clock;
    }

    // ---- mirror mode's outages ----

    /** Mirror mode serves a request from the container's copy: counted, and one WARN per outage. */
    void mirrorUnavailable(SessionStoreUnavailableException e) {
        servedFromContainer.incrementAndGet();
        events.servedFromContainer();
        if (outage.compareAndSet(false, true)) {
            log.warn("mirror mode: {}; serving sessions from the container's copies, and writing their changes to"
                    + " Redis once it answers again", e.getMessage());
        }
    }

    /** Redis answered a mirror-mode request: ends an outage, and writes up to 16 invalidations made during it. */
    void mirrorAnswered(SessionRequest request) {
        if (outage.compareAndSet(true, false)) {
            log.info("mirror mode: Redis answers again after {} requests were served from container sessions;"
                    + " their changes are written as their sessions are next requested", servedFromContainer.get());
        }
        if (deleteLater.isEmpty()) {
            return;
        }
        int n = 0;
        for (java.util.Iterator<String> it = deleteLater.iterator(); it.hasNext() && n < 16; n++) {
            String id = it.next();
            try {
                request.counted(1);
                store.delete(id);
                it.remove();
            } catch (SessionStoreUnavailableException again) {
                return;
            }
        }
    }

    /** An invalidation Redis did not receive: written once it answers (at most 100,000 are kept). */
    void deleteLater(String id) {
        if (deleteLater.size() < 100_000) {
            deleteLater.add(id);
        } else {
            log.warn("mirror mode: 100,000 invalidations wait for Redis; session {} stays valid in Redis",
                    SessionIds.loggable(id));
        }
    }

    /** Mirror mode: notes that this instance invalidated session {@code id}. */
    void noteInvalidated(String id) {
        invalidatedHere.add(id);
    }

    /** Whether this instance invalidated session {@code id} lately (of the last 10,000). */
    boolean invalidatedHere(String id) {
        return invalidatedHere.contains(id);
    }

    /** Requests mirror mode served from the container's copies since start. */
    long servedFromContainer() {
        return servedFromContainer.get();
    }
}
