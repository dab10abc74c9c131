package dev.readiness.health.management;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management HTTP server: {@code /livez}, {@code /readyz}, {@code /startupz}, and any endpoint added with
 * {@link Builder#handler(String, ManagementHandler)} (for example {@code /metrics} with {@link PrometheusHandler}).
 * <p>
 * Runs on the JDK's own HTTP server, on a small pool of daemon threads. A probe request never runs a
 * check: it writes the bytes of the registry's latest {@link ProbeReport}, so it answers in microseconds
 * whatever the dependencies do.
 * <ul>
 *   <li>200 or 503 with a small JSON body; {@code ?verbose} adds per-check detail when details are enabled,
 *       and is ignored otherwise (nothing leaks).</li>
 *   <li>GET and HEAD only: any other method is 405 with {@code Allow: GET, HEAD}. HEAD has no body.</li>
 *   <li>An unknown path is 404 with a JSON body listing the endpoints.</li>
 * </ul>
 * Loading this class sets two JVM-wide properties of the JDK's server unless they are set already:
 * {@code sun.net.httpserver.nodelay=true} (no 40 ms Nagle delay per response) and
 * {@code sun.net.httpserver.maxReqTime=10} (seconds a client may take to send its request). The JDK reads them
 * when its first server starts, so they have no effect if the application started a JDK server before.
 * <pre>{@code
 * ManagementServer server = ManagementServer.builder(registry).port(8081).start();
 * ...
 * server.close();
 * }</pre>
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    /** Default port: 8081. */
    public static final int DEFAULT_PORT = 8081;
    /** Default bind address: every interface. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** Default number of serving threads kept ready: 2. */
    public static final int DEFAULT_THREADS = 2;

    private static final String METRICS_PATH = "/metrics";

    /**
     * Most serving threads at once. The JDK's server reads a request on a pool thread, so a client that sends
     * half a request holds a thread until it finishes or {@code sun.net.httpserver.maxReqTime} (10 s, set here
     * unless the application set it) closes it. Beyond {@code threads}, more threads start while clients are
     * slow, so the kubelet's probes still find one.
     */
    public static final int MAX_THREADS = 64;

    static {
        // The JDK's server reads these properties once, when the first server of the JVM starts; set them unless
        // the application decided already.
        // The server writes headers and body in two segments; with Nagle's algorithm on, the body waits for the
        // client's delayed ACK of the headers, about 40 ms on Linux, on every probe.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        // A client that opens a connection and sends nothing, or half a request, is dropped after 10 s.
        setIfAbsent("sun.net.httpserver.maxReqTime", "10");
    }

    private static void setIfAbsent(String key, String value) {
        try {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        } catch (SecurityException e) {
            log.debug("cannot set {}: {}", key, e.toString());
        }
    }

    private final HealthRegistry registry;
    private final boolean details;
    private final Map<String, ManagementHandler> handlers;
    private final byte[] notFound;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ExecutorService overflow;
    private volatile boolean closed;

    private ManagementServer(Builder b) {
        this.registry = b.registry;
        this.details = b.details;
        this.handlers = Map.copyOf(b.handlers);
        StringBuilder list = new StringBuilder("{\"error\":\"not found\",\"endpoints\":[\"/livez\",\"/readyz\",\"/startupz\"");
        b.handlers.keySet().stream().sorted().forEach(p -> list.append(",\"").append(p).append('"'));
        if (!b.handlers.containsKey(METRICS_PATH)) {
            list.append("],\"metrics\":\"disabled: add micrometer-registry-prometheus and register")
                    .append(" PrometheusHandler.of(prometheusMeterRegistry) at /metrics\"}");
        } else {
            list.append("]}");
        }
        this.notFound = list.toString().getBytes(StandardCharsets.UTF_8);

        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(b.host), b.port);
        } catch (UnknownHostException e) {
            throw new ReadinessConfigException("readiness.management.host", b.host, "must be a host name or IP address"
                    + " that resolves (" + e.getMessage() + ")", e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "readiness-management-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Past MAX_THREADS, requests wait in line for one overflow thread rather than being refused: a refusal
        // would reach the JDK server's dispatcher thread, and a dropped exchange would leak its connection.
        ExecutorService overflow = Executors.newSingleThreadExecutor(threads);
        // No queue before that: a request that finds every thread busy (reading slow clients) gets a new thread.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(b.threads, Math.max(b.threads, MAX_THREADS), 30,
                TimeUnit.SECONDS, new SynchronousQueue<>(), threads, (r, executor) -> {
                    log.warn("management server: all {} threads busy with slow clients, queueing a request",
                            executor.getMaximumPoolSize());
                    if (!overflow.isShutdown()) {
                        overflow.execute(r);
                    }
                });
        this.overflow = overflow;
        try {
            this.server = HttpServer.create(address, 0);
        } catch (BindException e) {
            pool.shutdownNow();
            overflow.shutdownNow();
            throw new IllegalStateException("management server cannot listen on " + b.host + ":" + b.port
                    + ": the port is already in use (" + e.getMessage() + "). Set readiness.management.port"
                    + " (READINESS_MANAGEMENT_PORT) to a free port.", e);
        } catch (IOException e) {
            pool.shutdownNow();
            overflow.shutdownNow();
            throw new IllegalStateException("management server cannot listen on " + b.host + ":" + b.port + ": " + e,
                    e);
        }
        this.executor = pool;
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        log.info("management server listening on {}:{} ({} threads, details {})", b.host, port(), b.threads,
                details ? "on" : "off");
    }

    /** A builder for a server serving {@code registry}'s probes. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening at once and stops the serving threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        overflow.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            Headers h = exchange.getResponseHeaders();
            h.set("Cache-Control", "no-store");
            if (!head && !"GET".equals(method)) {
                h.set("Allow", "GET, HEAD");
                send(exchange, 405, ManagementResponse.JSON,
                        "{\"error\":\"method not allowed\",\"allowed\":[\"GET\",\"HEAD\"]}".getBytes(
                                StandardCharsets.UTF_8), false);
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Probe probe = probeFor(path);
            if (probe != null) {
                ProbeReport report = registry.report(probe);
                boolean verbose = details && verbose(exchange.getRequestURI().getRawQuery());
                h.set("Content-Type", ManagementResponse.JSON);
                if (head) {
                    exchange.sendResponseHeaders(report.httpStatus(), -1);
                } else {
                    exchange.sendResponseHeaders(report.httpStatus(), report.length(verbose));
                    try (OutputStream out = exchange.getResponseBody()) {
                        report.writeTo(out, verbose);
                    }
                }
                return;
            }
            ManagementHandler handler = handlers.get(path);
            if (handler == null) {
                send(exchange, 404, ManagementResponse.JSON, notFound, head);
                return;
            }
            ManagementResponse response;
            try {
                response = handler.handle(exchange.getRequestURI());
            } catch (Exception | LinkageError e) {
                log.warn("management endpoint {} failed", path, e);
                response = ManagementResponse.json(500, "{\"error\":\"internal error\"}");
            }
            send(exchange, response.status(), response.contentType(), response.body(), head);
        } catch (IOException e) {
            log.debug("management request failed: {}", e.toString()); // the client went away
        }
    }

    private static Probe probeFor(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            return null;
        }
        return switch (path) {
            case "/livez" -> Probe.LIVENESS;
            case "/readyz" -> Probe.READINESS;
            case "/startupz" -> Probe.STARTUP;
            default -> null;
        };
    }

    /** {@code ?verbose}, {@code ?verbose=true} or {@code ?verbose=1}; anything else is not verbose. */
    static boolean verbose(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String part : query.split("&", 16)) {
            if (part.equals("verbose") || part.equals("verbose=") || part.equals("verbose=true")
                    || part.equals("verbose=1")) {
                return true;
            }
        }
        return false;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean head)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (head || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Builds and starts a {@link ManagementServer}. Settings are validated by {@link #start()}. */
    public static final class Builder {
        private final HealthRegistry registry;
        private int port = DEFAULT_PORT;
        private String host = DEFAULT_HOST;
        private boolean details;
        private int threads = DEFAULT_THREADS;
        private final Map<String, ManagementHandler> handlers = new LinkedHashMap<>();

        private Builder(HealthRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Port to listen on, 0..65535; 0 picks a free port. Default 8081. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Address to bind. Default {@code 0.0.0.0}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Whether {@code ?verbose} shows per-check detail. Default {@code false}. */
        public Builder details(boolean details) {
            this.details = details;
            return this;
        }

        /** Serving threads kept ready, 1..64; more start while clients are slow, up to {@link ManagementServer#MAX_THREADS}. Default 2. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Applies {@code readiness.management.*} from {@code config}. */
        public Builder config(Config config) {
            return ManagementConfig.applyTo(config, this);
        }

        /**
         * Serves {@code handler} at exactly {@code path} (for example {@code /drainz}).
         *
         * @throws IllegalArgumentException when the path is a probe path, is taken, or is not a simple
         *                                  absolute path
         */
        public Builder handler(String path, ManagementHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (path == null || !path.matches("/[A-Za-z0-9._~/-]{1,100}")) {
                throw new IllegalArgumentException("handler path must be an absolute path of letters, digits and"
                        + " ._~/- , was '" + path + "'");
            }
            if (probeFor(path) != null || handlers.containsKey(path)) {
                throw new IllegalArgumentException("handler path " + path + " is already served");
            }
            handlers.put(path, handler);
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws ReadinessConfigException when a setting is out of range or the host does not resolve
         * @throws IllegalStateException    when the port is in use, naming the port and the key to change
         */
        public ManagementServer start() {
            ReadinessConfigException.require(port >= 0 && port <= 65535, "readiness.management.port", port,
                    "must be 0..65535");
            ReadinessConfigException.require(threads >= 1 && threads <= 64, "readiness.management.threads", threads,
                    "must be 1..64");
            ReadinessConfigException.require(host != null && !host.isBlank(), "readiness.management.host", host,
                    "must be a host name or IP address");
            return new ManagementServer(this);
        }
    }
}
