package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.ChecksConfig;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code readiness.*} settings that only the Spring Boot starter has (which auto-configurations run), and
 * those of features whose settings are not yet declared by their module's builder. The keys of dependency
 * checks, drain, listen queue and ConfigMap reload are declared once, by readiness-core's builders, and read
 * through {@link ReadinessSettings} with the same syntax as everywhere else (a duration needs a unit).
 * <p>
 * A mutable JavaBean only so that Spring can bind it: the auto-configuration turns each group into an immutable,
 * validated object once, at start, and a bad value fails the start with a message naming the key, the value and
 * what is allowed.
 */
@ConfigurationProperties(ReadinessProperties.PREFIX)
public class ReadinessProperties {

    /** The prefix of every key. */
    public static final String PREFIX = "readiness";

    /** Whether readiness is auto-configured at all. */
    private boolean enabled = true;

    /** The management server that serves the probes apart from application traffic. */
    private final Management management = new Management();

    /** Graceful shutdown when Kubernetes stops the pod. */
    private final Drain drain = new Drain();

    /** Spring Boot Actuator integration. */
    private final Actuator actuator = new Actuator();

    /** Readiness checks for the application's pools, clients and circuit breakers. */
    private final Dependencies dependencies = new Dependencies();

    /** The watched ConfigMap directory. */
    private final Config config = new Config();

    /** GC advisor and GC-pressure liveness. */
    private final Gc gc = new Gc();

    /** HTTP sessions in Redis. */
    private final Sessions sessions = new Sessions();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Management getManagement() {
        return management;
    }

    public Drain getDrain() {
        return drain;
    }

    public Actuator getActuator() {
        return actuator;
    }

    public Dependencies getDependencies() {
        return dependencies;
    }

    public Config getConfig() {
        return config;
    }

    public Gc getGc() {
        return gc;
    }

    public Sessions getSessions() {
        return sessions;
    }

    /**
     * {@code readiness.management.*}: readiness' own management server (GET /livez, /readyz, /startupz, and
     * /metrics with a Prometheus registry) on its own port, apart from application traffic. Needs
     * readiness-health; works with or without Spring Boot Actuator.
     */
    public static class Management {

        /** Whether the management server is started (when readiness-health is on the class path). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.drain.*}: what happens when the application context closes (SIGTERM from Kubernetes).
     * Readiness turns DOWN at once, the application keeps serving for the propagation delay while endpoints are
     * updated, then stops accepting, answers {@code Connection: close}, and waits for in-flight requests up to
     * the timeout; only then do Spring Boot's graceful shutdown and the closing of pools and clients begin. The
     * sum must fit the pod's termination grace period, or Kubernetes kills the drain with SIGKILL; the
     * application says so at start. The other keys are readiness-core's
     * ({@link dev.readiness.core.drain.DrainSettings#KEYS}), read by {@link ReadinessSettings}.
     */
    public static class Drain {

        /**
         * Whether the drain runs when the context closes. Unset (the default): only on Kubernetes (detected, or
         * {@code spring.main.cloud-platform=kubernetes}), where something routes by readiness; {@code true}:
         * everywhere; {@code false}: never.
         */
        private Boolean enabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.dependencies.*}: the application's HikariCP pools, Lettuce connection factories and
     * Resilience4j circuit breakers become readiness checks by themselves.
     */
    public static class Dependencies {

        /** Whether DataSources, Redis connection factories and circuit breakers in the context are checked. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.config.*}: a ConfigMap mounted as a directory, watched and reloaded in place. Its keys
     * are a property source (above application.properties, below environment variables and system
     * properties), and {@code @ConfigurationProperties} beans are rebound all together after validation, or not
     * at all. The other keys ({@code dir}, {@code poll-interval}, ...) are readiness-core's
     * ({@link dev.readiness.core.reload.ConfigMapWatcher#KEYS}), read by {@link ReadinessSettings}.
     */
    public static class Config {

        /** Whether the directory is watched (when {@code dir} is set). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.gc.*}: the run-time side of readiness-gc-tuning. At start the advisor logs what in the JVM
     * disagrees with its container; the GC-pressure check turns liveness DOWN when the JVM spends most of its
     * time collecting, or its heap stays full after collections, for the whole window.
     */
    public static class Gc {

        /** Whether readiness-gc-tuning is wired at all (when it is on the class path). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * {@code readiness.sessions.*}: HTTP sessions kept in Redis by readiness-sessions, so any instance serves any
     * request. On when {@code readiness.sessions.redis.uri} is set (and readiness-sessions is on the class path);
     * the session filter then runs ahead of Spring Session's and Spring Security's filters. Same keys and
     * defaults as readiness-sessions' {@code SessionsConfig}.
     */
    public static class Sessions {

        /** Whether sessions go to Redis when {@code redis.uri} is set. */
        private boolean enabled = true;

        private final SessionsRedis redis = new SessionsRedis();

        private final SessionsCookie cookie = new SessionsCookie();

        /** Idle time until a session expires. Default 30m. */
        private Duration maxInactiveInterval = Duration.ofMinutes(30);

        /** Bytes of encoded attributes a session may hold, 1 KiB to 16 MiB. Default 65536. */
        private int maxSize = 65536;

        /**
         * How much of the expiry may pass before a request that changed nothing refreshes it; 0 or more, less than
         * max-inactive-interval. Default 60s.
         */
        private Duration refreshThreshold = Duration.ofSeconds(60);

        /** {@code redis}, or {@code mirror} (the container's session stays the source; migration). Default redis. */
        private String mode = "redis";

        /** Attribute codec: {@code basic}, {@code json} (Jackson 3) or {@code jdk}. Default basic. */
        private String codec = "basic";

        /** Classes the json and jdk codecs may read back: {@code com.example.Cart}, {@code com.example.*}, {@code com.example.**}. */
        private List<String> allowlist = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public SessionsRedis getRedis() {
            return redis;
        }

        public SessionsCookie getCookie() {
            return cookie;
        }

        public Duration getMaxInactiveInterval() {
            return maxInactiveInterval;
        }

        public void setMaxInactiveInterval(Duration maxInactiveInterval) {
            this.maxInactiveInterval = maxInactiveInterval;
        }

        public int getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(int maxSize) {
            this.maxSize = maxSize;
        }

        public Duration getRefreshThreshold() {
            return refreshThreshold;
        }

        public void setRefreshThreshold(Duration refreshThreshold) {
            this.refreshThreshold = refreshThreshold;
        }

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public String getCodec() {
            return codec;
        }

        public void setCodec(String codec) {
            this.codec = codec;
        }

        public List<String> getAllowlist() {
            return allowlist;
        }

        public void setAllowlist(List<String> allowlist) {
            this.allowlist = allowlist;
        }
    }

    /** {@code readiness.sessions.redis.*}. */
    public static class SessionsRedis {

        /**
         * {@code redis://host:6379}, {@code rediss://} for TLS, {@code redis://user:password@host},
         * {@code redis-sentinel://host:26379,host2:26379/0#mymaster}, or comma-separated seeds for a cluster. No
         * default: sessions stay in the container without it.
         */
        private String uri;

        /** Whether the URI names Redis Cluster seeds. Default false. */
        private boolean cluster = false;

        /** The longest a request waits for Redis. Default 2s. */
        private Duration commandTimeout = Duration.ofSeconds(2);

        /** Prefix of the session keys. Default {@code readiness:session:}. */
        private String keyPrefix = "readiness:session:";

        /** Whether the {@code redis-sessions} check gates readiness (otherwise it only marks it degraded). */
        private boolean required = true;

        /** Trust for {@code rediss://}; without it the JVM's default trust store applies. */
        private final SessionsTls tls = new SessionsTls();

        /** Sessions kept in this instance while Redis's client tracking promises to invalidate them. */
        private final SessionsNearCache nearCache = new SessionsNearCache();

        public SessionsTls getTls() {
            return tls;
        }

        public SessionsNearCache getNearCache() {
            return nearCache;
        }

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public boolean isCluster() {
            return cluster;
        }

        public void setCluster(boolean cluster) {
            this.cluster = cluster;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }
    }

    /**
     * {@code readiness.sessions.redis.near-cache.*}: sessions this instance read or wrote, served without a round trip
     * until Redis's client tracking (RESP3) says they changed.
     */
    public static class SessionsNearCache {

        /**
         * Whether reading an unchanged session is served from this instance. Standalone and Sentinel; off for a
         * cluster; turns itself off where Redis offers no client tracking. Until an invalidation arrives, a read
         * here can return a session as it was before another instance changed it. Default false.
         */
        private boolean enabled = false;

        /** Bound on what the near cache holds, in bytes. Default 16777216 (16 MiB). */
        private long maxBytes = 16L * 1024 * 1024;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public long getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
        }
    }

    /** {@code readiness.sessions.redis.tls.*}: which certificates a {@code rediss://} connection trusts. */
    public static class SessionsTls {

        /**
         * A PEM file of the certificates to trust (usually the managed Redis's CA, mounted from a Secret). Read and
         * checked at start. Default none.
         */
        private String caFile;

        /** A PKCS12 or JKS trust store, instead of {@code ca-file}. Default none. */
        private String truststore;

        /** The trust store's password. Default none. */
        private String truststorePassword;

        public String getCaFile() {
            return caFile;
        }

        public void setCaFile(String caFile) {
            this.caFile = caFile;
        }

        public String getTruststore() {
            return truststore;
        }

        public void setTruststore(String truststore) {
            this.truststore = truststore;
        }

        public String getTruststorePassword() {
            return truststorePassword;
        }

        public void setTruststorePassword(String truststorePassword) {
            this.truststorePassword = truststorePassword;
        }
    }

    /** {@code readiness.sessions.cookie.*}. */
    public static class SessionsCookie {

        /** Name of the session cookie. Default SESSION. */
        private String name = "SESSION";

        /** Whether the cookie is Secure; set false only for local plain http. Default true. */
        private boolean secure = true;

        /** SameSite: Lax, Strict or None (needs secure). Default Lax. */
        private String sameSite = "Lax";

        /** Cookie path; default: the context path. */
        private String path;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public boolean isSecure() {
            return secure;
        }

        public void setSecure(boolean secure) {
            this.secure = secure;
        }

        public String getSameSite() {
            return sameSite;
        }

        public void setSameSite(String sameSite) {
            this.sameSite = sameSite;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** {@code readiness.actuator.*}: how readiness feeds Spring Boot Actuator's health endpoint. */
    public static class Actuator {

        /**
         * Whether Actuator's liveness, readiness and startup probes (and Spring's ApplicationAvailability) are fed
         * from readiness' background-evaluated checks.
         */
        private boolean enabled = true;

        /**
         * Whether every other HealthIndicator bean (db, redis, diskSpace, ...) is evaluated in the background
         * on readiness' schedule with readiness' timeout, and the health endpoint shows its latest result
         * instead of calling it on the request thread. Indicators named in Actuator's readiness group are
         * required for readiness; the others only mark it degraded.
         */
        private boolean backgroundIndicators = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isBackgroundIndicators() {
            return backgroundIndicators;
        }

        public void setBackgroundIndicators(boolean backgroundIndicators) {
            this.backgroundIndicators = backgroundIndicators;
        }
    }
}
