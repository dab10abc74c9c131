package dev.readiness.core.drain.jdk;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.core.drain.ListeningSockets;
import dev.readiness.core.thread.DaemonThreads;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Drain adapter for the JDK's {@code com.sun.net.httpserver} server.
 * <pre>
 * JdkHttpServerDrain adapter = new JdkHttpServerDrain(server, drain.tracker(), drain.settings().timeout());
 * adapter.track(server.createContext("/", handler));   // every context that serves traffic
 * drain.server(adapter);
 * </pre>
 * Its filter counts each exchange from its start until the handler returns, and answers
 * {@code Connection: close} once the drain stopped accepting (the JDK server then closes the connection after
 * the response). {@link #stopAccepting()} calls {@link HttpServer#stop(int)} on a thread of its own, which closes
 * the listening socket at once and keeps serving exchanges already running; {@link #stop()} then closes every
 * connection. The JDK server gives no access to idle keep-alive connections, so they close at {@link #stop()},
 * after the in-flight requests finished.
 */
public final class JdkHttpServerDrain implements DrainableServer {

    private final HttpServer server;
    private final InFlightTracker tracker;
    private final int stopDelaySeconds;
    private final Filter filter = new TrackingFilter();
    private volatile Thread stopping;

    /**
     * @param drainTimeout the drain timeout; the server's own stop waits at most this long (rounded up to
     *                     whole seconds) before closing connections
     */
    public JdkHttpServerDrain(HttpServer server, InFlightTracker tracker, Duration drainTimeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.stopDelaySeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (drainTimeout.toMillis() + 999) / 1000));
    }

    /** Adds the tracking filter to a context; do this for every context that serves traffic. */
    public HttpContext track(HttpContext context) {
        context.getFilters().add(0, filter);
        return context;
    }

    /** The filter, for contexts created elsewhere. */
    public Filter filter() {
        return filter;
    }

    @Override
    public String name() {
        return "jdk-httpserver" + server.getAddress();
    }

    @Override
    public void stopAccepting() {
        java.net.InetSocketAddress bound = server.getAddress();
        stopping = DaemonThreads.start("readiness-drain-jdk-httpserver-stop", () -> server.stop(stopDelaySeconds));
        // stop() closes the listening channel first, then waits; the kernel socket goes when the server's
        // selector thread lets go of it, a moment later.
        ListeningSockets.awaitRefused(bound.getAddress(), bound.getPort(), ListeningSockets.DEFAULT_WAIT);
    }

    @Override
    public void stop() throws InterruptedException {
        // A second stop(0) ends the first one's wait and closes every connection.
        server.stop(0);
        Thread t = stopping;
        if (t != null) {
            t.join(5_000);
        }
    }

    private final class TrackingFilter extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            InFlightTracker.Request r = tracker.begin();
            try {
                if (tracker.closeConnections()) {
                    exchange.getResponseHeaders().set("Connection", "close");
                }
                chain.doFilter(exchange);
            } finally {
                r.end();
            }
        }

        @Override
        public String description() {
            return "readiness in-flight tracking";
        }
    }
}
