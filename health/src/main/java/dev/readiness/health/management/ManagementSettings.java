package dev.readiness.health.management;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;

import java.time.Duration;

/**
 * Immutable settings of the management server ({@code readiness.management.*}), checked when built: the one place
 * that knows their defaults and rules, whichever front end (code, SmallRye Config, Spring Boot) set them.
 */
public final class ManagementSettings {

    private static final String P = "readiness.management.";

    /** {@code readiness.management.port}. */
    public static final Key<Integer> PORT = Key.integer(P + "port").defaultsTo(ManagementServer.DEFAULT_PORT)
            .allowed("must be 0..65535 (0 picks a free port)", p -> p >= 0 && p <= 65535)
            .means("Port the probes (/livez, /readyz, /startupz) and /metrics are served on.");
    /** {@code readiness.management.host}. */
    public static final Key<String> HOST = Key.text(P + "host").defaultsTo(ManagementServer.DEFAULT_HOST)
            .allowed("must be a host name or IP address", h -> !h.isBlank() && h.strip().equals(h)
                    && h.length() <= 253 && h.chars().noneMatch(c -> Character.isISOControl(c) || c == ' '))
            .means("Address to bind; the kubelet probes the pod IP, not loopback.");
    /** {@code readiness.management.details}. */
    public static final Key<Boolean> DETAILS = Key.flag(P + "details").defaultsTo(false)
            .means("Whether ?verbose adds per-check detail (messages, timings, pool figures), which can name"
                    + " internal hosts.");
    /** {@code readiness.management.threads}. */
    public static final Key<Integer> THREADS = Key.integer(P + "threads").defaultsTo(ManagementServer.DEFAULT_THREADS)
            .range(1, ManagementServer.MAX_THREADS)
            .means("Serving threads kept ready; more start while clients are slow, up to "
                    + ManagementServer.MAX_THREADS + ".");
    /** {@code readiness.management.max-connections}. */
    public static final Key<Integer> MAX_CONNECTIONS = Key.integer(P + "max-connections")
            .defaultsTo(ManagementServer.DEFAULT_MAX_CONNECTIONS).range(1, 100_000)
            .means("Open connections at most; past it the one idle the longest is closed (with Jetty on the class"
                    + " path).");
    /** {@code readiness.management.request-timeout}. */
    public static final Key<Duration> REQUEST_TIMEOUT = Key.duration(P + "request-timeout")
            .defaultsTo(ManagementServer.DEFAULT_REQUEST_TIMEOUT).between(Duration.ofMillis(100), Duration.ofMinutes(10))
            .means("Time a connection has to send a complete request head, from its opening or its last answer"
                    + " (with Jetty on the class path).");

    /** The keys of {@code readiness.management.*}. */
    public static final Keys<Builder, ManagementSettings> KEYS = Keys.of("management server",
                    "readiness.management", ManagementSettings::builder, Builder::build)
            .key(PORT, Builder::port)
            .key(HOST, Builder::host)
            .key(DETAILS, Builder::details)
            .key(THREADS, Builder::threads)
            .key(MAX_CONNECTIONS, Builder::maxConnections)
            .key(REQUEST_TIMEOUT, Builder::requestTimeout);

    private final int port;
    private final String host;
    private final boolean details;
    private final int threads;
    private final int maxConnections;
    private final Duration requestTimeout;

    private ManagementSettings(Builder b) {
        this.port = PORT.check(b.port);
        this.host = HOST.check(b.host);
        this.details = b.details;
        this.threads = THREADS.check(b.threads);
        this.maxConnections = MAX_CONNECTIONS.check(b.maxConnections);
        this.requestTimeout = REQUEST_TIMEOUT.check(b.requestTimeout);
    }

    /**
     * The settings {@code source} gives for {@code readiness.management.*}, every key it does not have at its
     * default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ManagementSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().port(port).host(host).details(details).threads(threads).maxConnections(maxConnections)
                .requestTimeout(requestTimeout);
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public boolean details() {
        return details;
    }

    public int threads() {
        return threads;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return "ManagementSettings{port=" + port + ", host=" + host + ", details=" + details + ", threads="
                + threads + ", maxConnections=" + maxConnections + ", requestTimeout=" + requestTimeout + "}";
    }

    /** Builds {@link ManagementSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private int port = PORT.defaultValue();
        private String host = HOST.defaultValue();
        private boolean details = DETAILS.defaultValue();
        private int threads = THREADS.defaultValue();
        private int maxConnections = MAX_CONNECTIONS.defaultValue();
        private Duration requestTimeout = REQUEST_TIMEOUT.defaultValue();

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder details(boolean details) {
            this.details = details;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public ManagementSettings build() {
            return new ManagementSettings(this);
        }
    }
}
