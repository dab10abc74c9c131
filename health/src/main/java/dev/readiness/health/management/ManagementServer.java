package dev.readiness.health.management;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The management HTTP server: {@code /livez}, {@code /readyz}, {@code /startupz}, and any endpoint added with
 * {@link Builder#handler(String, ManagementHandler)} (for example {@code /metrics} with {@link PrometheusHandler}).
 * <p>
 * A probe request never runs a check: it writes the bytes of the registry's latest {@link ProbeReport}, so it
 * answers in microseconds whatever the dependencies do.
 * <ul>
 *   <li>200 or 503 with a small JSON body; {@code ?verbose} adds per-check detail when details are enabled,
 *       and is ignored otherwise (nothing leaks).</li>
 *   <li>GET and HEAD only: any other method is 405 with {@code Allow: GET, HEAD}. HEAD has no body.</li>
 *   <li>An unknown path is 404 with a JSON body listing the endpoints.</li>
 * </ul>
 * <b>Which server parses the requests.</b> The port is often reachable from the whole cluster, so no client may
 * starve the probes: not 10,000 idle or slow connections, not half-sent requests, oversized headers or garbage.
 * When Jetty 12 ({@code org.eclipse.jetty:jetty-server}) is on the class path, requests are parsed by Jetty's
 * non-blocking parser on threads of this server's own (a slow client holds a buffer, never a thread), and:
 * <ul>
 *   <li>a request head is at most {@value #MAX_REQUEST_HEAD_BYTES} bytes: more is 431 and a close;</li>
 *   <li>a connection must send a complete request head within {@link Builder#requestTimeout(Duration)} (5 s) of
 *       opening or of its last answer, however it trickles its bytes, or it is closed;</li>
 *   <li>past {@link Builder#maxConnections(int)} (1,000) open connections, each new one closes the connection
 *       idle the longest (the kubelet's fresh probe connection is never that one).</li>
 * </ul>
 * Without Jetty the JDK's own {@code com.sun.net.httpserver} serves, with the bounds it has: it reads each request
 * blocking on a pool thread, so a slow client holds a thread until {@code sun.net.httpserver.maxReqTime} (10 s,
 * set here unless set already) closes it, and enough of them delay the probes; it has no cap that spares new
 * connections. Which server runs is logged once. The measured difference is in the reliability guide.
 * <p>
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
    /** Default cap on open connections, past which the one idle the longest is closed: 1,000. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    /** Default time a connection has to send a complete request head: 5 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Most bytes of a request head (request line and headers) with Jetty: 8 KiB, what Jetty, Tomcat and most
     * proxies allow; a probe sends about 100.
     */
    public static final int MAX_REQUEST_HEAD_BYTES = 8192;

    private static final String METRICS_PATH = "/metrics";

    /**
     * Most serving threads at once with the JDK's server. It reads a request on a pool thread, so a client that
     * sends half a request holds a thread until it finishes or {@code sun.net.httpserver.maxReqTime} (10 s, set
     * here unless the application set it) closes it. Beyond {@code threads}, more threads start while clients
     * are slow, so the kubelet's probes still find one.
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
    private final Engine engine;
    private volatile boolean closed;

    private ManagementServer(Builder b, ManagementSettings s) {
        this.registry = b.registry;
        this.details = s.details();
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
            address = new InetSocketAddress(InetAddress.getByName(s.host()), s.port());
        } catch (UnknownHostException e) {
            throw new ReadinessConfigException(ManagementSettings.HOST.name(), s.host(),
                    "must be a host name or IP address that resolves (" + e.getMessage() + ")", e);
        }
        Engine.Settings settings = new Engine.Settings(address, s.threads(), s.maxConnections(), s.requestTimeout());
        this.engine = Engine.start(b.engine, settings, this::answer, s.host() + ":" + s.port());
        log.info("management server listening on {}:{} ({} threads, details {}, {})", s.host(), port(), s.threads(),
                details ? "on" : "off", engine.name());
    }

    /** A builder for a server serving {@code registry}'s probes. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return engine.address().getPort();
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return engine.address();
    }

    /** Which server answers: {@code jetty} or {@code jdk}. */
    String engineName() {
        return engine.name();
    }

    /** Connections open now, or -1 when the engine does not count them (the JDK's). */
    int openConnections() {
        return engine.openConnections();
    }

    /** Stops listening at once and stops the serving threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        engine.close();
    }

    /**
     * The answer to one request, whichever server parsed it. Never throws: a failing handler is a 500.
     *
     * @param rawPath  the path as sent, not decoded, so {@code /%72eadyz} is not {@code /readyz}
     * @param rawQuery the query as sent, or null
     */
    Engine.Answer answer(String method, String rawPath, String rawQuery) {
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            return new Engine.Answer(405, ManagementResponse.JSON, METHOD_NOT_ALLOWED, true);
        }
        Probe probe = probeFor(rawPath);
        if (probe != null) {
            ProbeReport report = registry.report(probe);
            boolean verbose = details && verbose(rawQuery);
            return new Engine.Answer(report.httpStatus(), ManagementResponse.JSON,
                    verbose ? report.verboseJson() : report.json(), false);
        }
        ManagementHandler handler = handlers.get(rawPath);
        if (handler == null) {
            return new Engine.Answer(404, ManagementResponse.JSON, notFound, false);
        }
        URI uri;
        try {
            uri = new URI(rawQuery == null ? rawPath : rawPath + "?" + rawQuery);
        } catch (URISyntaxException e) {
            return new Engine.Answer(400, ManagementResponse.JSON, BAD_QUERY, false);
        }
        ManagementResponse response;
        try {
            response = handler.handle(uri);
        } catch (Exception | LinkageError e) {
            log.warn("management endpoint {} failed", rawPath, e);
            response = ManagementResponse.json(500, "{\"error\":\"internal error\"}");
        }
        return new Engine.Answer(response.status(), response.contentType(), response.body(), false);
    }

    private static final byte[] METHOD_NOT_ALLOWED = "{\"error\":\"method not allowed\",\"allowed\":[\"GET\",\"HEAD\"]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_QUERY = "{\"error\":\"bad request: the query is not a valid URI query\"}"
            .getBytes(StandardCharsets.UTF_8);

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

    /** Builds and starts a {@link ManagementServer}. Settings are validated by {@link #start()}. */
    public static final class Builder {
        private final HealthRegistry registry;
        private final ManagementSettings.Builder settings = ManagementSettings.builder();
        private Engine.Kind engine = Engine.Kind.AUTO;
        private final Map<String, ManagementHandler> handlers = new LinkedHashMap<>();

        private Builder(HealthRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Port to listen on, 0..65535; 0 picks a free port. Default 8081. */
        public Builder port(int port) {
            settings.port(port);
            return this;
        }

        /** Address to bind. Default {@code 0.0.0.0}. */
        public Builder host(String host) {
            settings.host(host);
            return this;
        }

        /** Whether {@code ?verbose} shows per-check detail. Default {@code false}. */
        public Builder details(boolean details) {
            settings.details(details);
            return this;
        }

        /** Serving threads kept ready, 1..64; more start while clients are slow, up to {@link ManagementServer#MAX_THREADS}. Default 2. */
        public Builder threads(int threads) {
            settings.threads(threads);
            return this;
        }

        /**
         * Open connections at most, 1..100,000; a new connection past the cap closes the one idle the longest.
         * Default 1,000. Applies with Jetty on the class path; the JDK's server has no such cap.
         */
        public Builder maxConnections(int maxConnections) {
            settings.maxConnections(maxConnections);
            return this;
        }

        /**
         * Time a connection has to send a complete request head, from its opening or its last answer: 100 ms to
         * 10 min. Default 5 s. Applies with Jetty on the class path; the JDK's server has the JVM-wide
         * {@code sun.net.httpserver.maxReqTime} instead.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            settings.requestTimeout(requestTimeout);
            return this;
        }

        /** All of {@code s} at once. */
        public Builder settings(ManagementSettings s) {
            settings.port(s.port()).host(s.host()).details(s.details()).threads(s.threads())
                    .maxConnections(s.maxConnections()).requestTimeout(s.requestTimeout());
            return this;
        }

        /** Which server parses requests; {@link Engine.Kind#AUTO} (Jetty when present) unless a test decides. */
        Builder engine(Engine.Kind engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Applies {@code readiness.management.*} from {@code config}.
         *
         * @throws ReadinessConfigException naming the key, the value as written and what is allowed
         */
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
         * @throws ReadinessConfigException when a setting is out of range ({@link ManagementSettings}'s rules) or the
         *                                  host does not resolve
         * @throws IllegalStateException    when the port is in use, naming the port and the key to change
         */
        public ManagementServer start() {
            return new ManagementServer(this, settings.build());
        }
    }
}
