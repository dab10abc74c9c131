package dev.readiness.health.management;

import dev.readiness.core.thread.DaemonThreads;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Jetty 12 core (no servlets) under the management server, bounded so that no client can starve the probes.
 * <ul>
 *   <li>Jetty reads without blocking: a connection that has sent half a request holds a buffer, not a thread,
 *       and the selector serves every other connection meanwhile. The handler runs on this server's own small
 *       pool, never on the application's threads.</li>
 *   <li>A request head is at most {@link ManagementServer#MAX_REQUEST_HEAD_BYTES}: Jetty answers 431 and closes.
 *       Garbage is a 400 and a close, on that connection only.</li>
 *   <li>Jetty's idle timeout closes a connection that sends nothing for the request timeout; it cannot see a
 *       client that trickles a byte at a time. {@link Guard} can: a connection that has not sent a complete
 *       request head within the request timeout of its opening or its last answer is closed, however it
 *       trickles.</li>
 *   <li>Past the connection cap Jetty would stop accepting, and the kubelet's next probe would wait in the accept
 *       queue behind the abusers. {@link Guard} instead closes, for each connection past the cap, the one idle
 *       the longest; the probe's connection, just opened, is the last candidate.</li>
 * </ul>
 */
final class JettyEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    /** The acceptor and the selector; the rest of the pool runs handlers. */
    private static final int IO_THREADS = 2;

    private final Server server;
    private final ServerConnector connector;
    private final Guard guard;

    private JettyEngine(Server server, ServerConnector connector, Guard guard) {
        this.server = server;
        this.connector = connector;
        this.guard = guard;
    }

    static JettyEngine start(Settings settings, Router router, String where) {
        QueuedThreadPool pool = new QueuedThreadPool(IO_THREADS + Math.max(8, settings.threads()),
                IO_THREADS + settings.threads(), 60_000);
        pool.setName("readiness-management");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(ManagementServer.MAX_REQUEST_HEAD_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        // Paths are matched raw against a fixed list and never decoded or resolved, so no ambiguous encoding can
        // reach anything: every path Jetty would reject as ambiguous is simply a 404 here, as before.
        http.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.address().getAddress().getHostAddress());
        connector.setPort(settings.address().getPort());
        connector.setIdleTimeout(settings.requestTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        Guard guard = new Guard(settings.maxConnections(), settings.requestTimeout().toNanos());
        connector.addEventListener(guard);
        server.addConnector(connector);
        server.setHandler(new Probes(router, guard));
        server.setErrorHandler(new Errors(router));
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            guard.close();
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start; nothing more to stop
            }
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IllegalStateException("management server cannot listen on " + where
                        + ": the port is already in use (" + e.getMessage() + "). Set readiness.management.port"
                        + " (READINESS_MANAGEMENT_PORT) to a free port.", e);
            }
            throw new IllegalStateException("management server cannot listen on " + where + ": " + e, e);
        }
        guard.start();
        return new JettyEngine(server, connector, guard);
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public int openConnections() {
        return guard.openConnections();
    }

    @Override
    public void close() {
        guard.close();
        try {
            server.stop();
        } catch (Exception e) {
            log.debug("management server: stopping Jetty failed: {}", e.toString());
        }
    }

    /** Answers every request through the router. Blocking type, so Jetty runs it on a pool thread. */
    private static final class Probes extends Handler.Abstract {
        private final Router router;
        private final Guard guard;

        Probes(Router router, Guard guard) {
            this.router = router;
            this.guard = guard;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Connection connection = request.getConnectionMetaData().getConnection();
            guard.busy(connection);
            String method = request.getMethod();
            HttpURI uri = request.getHttpURI();
            Answer a = router.answer(method, uri.getPath(), uri.getQuery());
            response.setStatus(a.status());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
            if (a.allow()) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            }
            boolean head = "HEAD".equals(method);
            ByteBuffer body = head || a.body().length == 0 ? null : ByteBuffer.wrap(a.body());
            if (!head) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, a.body().length);
            }
            response.write(true, body, new Callback() {
                @Override
                public void succeeded() {
                    guard.idle(connection);
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    guard.idle(connection);
                    callback.failed(x);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            });
            return true;
        }
    }

    /**
     * Jetty's answer to a request it could not parse, as JSON like every other answer and without Jetty's HTML
     * page. A path Jetty cannot decode (such as {@code /readyz%00}) names no endpoint: it is the 404 that any
     * unknown path gets, as with the JDK's server.
     */
    private static final class Errors implements Request.Handler {
        private final Router router;

        Errors(Router router) {
            this.router = router;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            byte[] body;
            if (status == 400 && illegalPath(request.getAttribute(ErrorHandler.ERROR_EXCEPTION))) {
                Answer notFound = router.answer("GET", "/", null);
                status = notFound.status();
                body = notFound.body();
            } else {
                body = ("{\"error\":\"" + (status == 431 ? "request header fields too large" : "bad request")
                        + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ManagementResponse.JSON);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }

        private static boolean illegalPath(Object failure) {
            for (Throwable t = failure instanceof Throwable x ? x : null; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("in path")) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /**
     * Tracks every open connection: when it last became idle (opened, or finished an answer) and whether it is
     * answering now. Closes a connection idle for longer than the request timeout, checked every tenth of it,
     * and, past the cap, the one idle the longest.
     */
    static final class Guard implements Connection.Listener, AutoCloseable {
        private final Map<Connection, State> open = new ConcurrentHashMap<>();
        private final int maxConnections;
        private final long requestTimeoutNanos;
        private final ScheduledExecutorService sweeper;

        private static final class State {
            volatile long idleSince = System.nanoTime();
            volatile boolean busy;
        }

        Guard(int maxConnections, long requestTimeoutNanos) {
            this.maxConnections = maxConnections;
            this.requestTimeoutNanos = requestTimeoutNanos;
            this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("readiness-management-guard"));
        }

        void start() {
            long every = Math.max(10_000_000L, requestTimeoutNanos / 10);
            sweeper.scheduleWithFixedDelay(this::closeSlow, every, every, TimeUnit.NANOSECONDS);
        }

        @Override
        public void onOpened(Connection connection) {
            open.put(connection, new State());
            for (int over = open.size() - maxConnections; over > 0; over--) {
                if (!closeLongestIdle(connection)) {
                    break;
                }
            }
        }

        @Override
        public void onClosed(Connection connection) {
            open.remove(connection);
        }

        void busy(Connection connection) {
            State s = open.get(connection);
            if (s != null) {
                s.busy = true;
            }
        }

        void idle(Connection connection) {
            State s = open.get(connection);
            if (s != null) {
                s.idleSince = System.nanoTime();
                s.busy = false;
            }
        }

        /** Closes the connection idle the longest other than {@code except}; false when there is none. */
        private boolean closeLongestIdle(Connection except) {
            Connection oldest = null;
            long oldestSince = 0;
            for (Map.Entry<Connection, State> e : open.entrySet()) {
                State s = e.getValue();
                if (e.getKey() != except && !s.busy && (oldest == null || s.idleSince - oldestSince < 0)) {
                    oldest = e.getKey();
                    oldestSince = s.idleSince;
                }
            }
            if (oldest == null) {
                return false;
            }
            if (open.remove(oldest) != null) {
                oldest.close();
            }
            return true;
        }

        private void closeSlow() {
            long now = System.nanoTime();
            try {
                open.forEach((connection, s) -> {
                    if (!s.busy && now - s.idleSince > requestTimeoutNanos && open.remove(connection) != null) {
                        connection.close();
                    }
                });
            } catch (RuntimeException e) {
                log.warn("management server: closing slow connections failed", e); // keep sweeping
            }
        }

        int openConnections() {
            return open.size();
        }

        @Override
        public void close() {
            sweeper.shutdownNow();
        }
    }
}
