package dev.readiness.sessions;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;
import dev.readiness.sessions.codec.AttributeCodec;
import dev.readiness.sessions.codec.BasicAttributeCodec;
import dev.readiness.sessions.codec.ClassAllowlist;
import dev.readiness.sessions.codec.JdkSerializationCodec;

import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Immutable, validated session settings. Build with {@link #builder()}, or read {@code readiness.sessions.*} with
 * {@link #from(SettingsSource)} ({@link SessionsConfig#from(org.eclipse.microprofile.config.Config)} for a
 * MicroProfile config). The keys, their defaults and rules are {@link #KEYS}; the settings table in
 * {@code src/docs/settings.md} is generated from them.
 */
public final class SessionSettings {

    /** Where the container session and Redis stand relative to each other. */
    public enum Mode {
        /** Redis is the only store; the container creates no sessions. */
        REDIS,
        /** Migration: the container session is the truth and is mirrored to Redis; sessions it lacks come from Redis. */
        MIRROR
    }

    /** Which attributes a save writes besides those removed. */
    public enum SaveMode {
        /**
         * Those passed to {@code setAttribute}, and those the request read with {@code getAttribute} whose value
         * was changed in place (compared at save with the bytes they were loaded from).
         */
        CHANGED,
        /** Only those passed to {@code setAttribute}: no comparison, and a change in place is not saved. */
        SET
    }

    /** How attribute values become bytes in the store. */
    public enum Codec {
        /** Strings, numbers, booleans, and lists and maps of them; no class is ever loaded. */
        BASIC,
        /** Jackson 3, with the allow-list's classes. */
        JSON,
        /** Java serialization, with the allow-list's classes. */
        JDK
    }

    static final String P = "readiness.sessions.";

    private static final String TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";

    /** {@code readiness.sessions.redis.uri}: required; errors show it without its password. */
    public static final Key<String> REDIS_URI = Key.text(P + "redis.uri")
            .unsetMeans("required (READINESS_SESSIONS_REDIS_URI); the starter turns sessions on when it is set")
            .allowed("must start with redis://, rediss:// or redis-sentinel://", SessionSettings::schemeKnown)
            .shownAs(SessionSettings::redact)
            .means("Where sessions live: redis://host:6379, rediss:// for TLS, redis-sentinel://h1:26379,h2:26379#master,"
                    + " or comma-separated seeds for a Redis Cluster.");
    /** {@code readiness.sessions.redis.cluster}. */
    public static final Key<Boolean> CLUSTER = Key.flag(P + "redis.cluster").defaultsTo(false)
            .means("Whether redis.uri names the seeds of a Redis Cluster.");
    /** {@code readiness.sessions.redis.command-timeout}. */
    public static final Key<Duration> COMMAND_TIMEOUT = Key.duration(P + "redis.command-timeout")
            .defaultsTo(Duration.ofSeconds(2)).positiveUpTo(Duration.ofMinutes(5))
            .means("The longest a request waits for Redis.");
    /** {@code readiness.sessions.redis.reconnect-max-delay}. */
    public static final Key<Duration> RECONNECT_MAX_DELAY = Key.duration(P + "redis.reconnect-max-delay")
            .defaultsTo(Duration.ofSeconds(1)).between(Duration.ofMillis(10), Duration.ofSeconds(30))
            .means("The longest wait between two attempts to reconnect to Redis after the connection dropped (with"
                    + " jitter; Lettuce's own default backs off to 30 s, so sessions could stay down that long after"
                    + " Redis is back).");
    /** {@code readiness.sessions.redis.wait-replicas}. */
    public static final Key<Integer> WAIT_REPLICAS = Key.integer(P + "redis.wait-replicas").defaultsTo(0)
            .allowed("must be between 0 (off) and 16 replicas", v -> v >= 0 && v <= 16)
            .means("Replicas that must have a save before it counts as confirmed: each save is followed by WAIT in"
                    + " the same round trip, so a failover loses no acknowledged write while that many replicas"
                    + " keep up. 0 (the default) sends no WAIT. A save that fewer replicas confirm within"
                    + " redis.wait-timeout is still applied and answered, counted and logged.");
    /** {@code readiness.sessions.redis.wait-timeout}; also less than command-timeout. */
    public static final Key<Duration> WAIT_TIMEOUT = Key.duration(P + "redis.wait-timeout")
            .defaultsTo(Duration.ofMillis(100)).between(Duration.ofMillis(1), Duration.ofMinutes(1))
            .means("The longest a save waits for redis.wait-replicas replicas to confirm it; less than"
                    + " redis.command-timeout when redis.wait-replicas is set. WAIT holds the store's connection meanwhile, so while replicas fall"
                    + " short the store waits at most once per redis.reconnect-max-delay.");
    /** {@code readiness.sessions.redis.key-prefix}. */
    public static final Key<String> KEY_PREFIX = Key.text(P + "redis.key-prefix").defaultsTo("readiness:session:")
            .allowed("must not contain {, }, blanks or control characters (the id supplies the hash tag)",
                    v -> !v.contains("{") && !v.contains("}") && v.chars().noneMatch(c -> c <= ' ' || c == 0x7f))
            .means("Prefix of every Redis key a session uses.");
    /** {@code readiness.sessions.redis.required}. */
    public static final Key<Boolean> REQUIRED = Key.flag(P + "redis.required").defaultsTo(false)
            .means("Whether the redis-sessions check gates readiness. Off by default: every replica shares the"
                    + " Redis, so a required check would take them all out of the Service at once; degraded, requests"
                    + " that need a session answer 503 with Retry-After at once and the others are served.");
    /** {@code readiness.sessions.redis.near-cache.enabled}. */
    public static final Key<Boolean> NEAR_CACHE = Key.flag(P + "redis.near-cache.enabled").defaultsTo(false)
            .means("Keep sessions this instance read or wrote, invalidated by Redis's client tracking, so an"
                    + " unchanged session is read with no round trip (standalone and Sentinel).");
    /** {@code readiness.sessions.redis.near-cache.max-bytes}. */
    public static final Key<Long> NEAR_CACHE_MAX_BYTES = Key.of(P + "redis.near-cache.max-bytes", Syntax.LONG)
            .defaultsTo(16L * 1024 * 1024)
            .allowed("must be between 65536 and 1099511627776 bytes", v -> v >= 64 * 1024 && v <= (1L << 40))
            .means("The near cache's size bound.");
    /** {@code readiness.sessions.redis.tls.ca-file}. */
    public static final Key<Path> TLS_CA_FILE = Key.of(P + "redis.tls.ca-file", Syntax.PATH)
            .unsetMeans("the JVM's default trust store")
            .allowed("must be a readable PEM file of X.509 certificates", v -> true)
            .means("PEM certificates (usually the CA) a rediss:// server's certificate must chain to.");
    /** {@code readiness.sessions.redis.tls.truststore}. */
    public static final Key<Path> TLS_TRUSTSTORE = Key.of(P + "redis.tls.truststore", Syntax.PATH)
            .unsetMeans("the JVM's default trust store")
            .allowed("must be a readable PKCS12 or JKS trust store", v -> true)
            .means("A PKCS12 or JKS trust store for rediss://, instead of redis.tls.ca-file.");
    /** {@code readiness.sessions.redis.tls.truststore-password}: errors never show it. */
    public static final Key<String> TLS_TRUSTSTORE_PASSWORD = Key.text(P + "redis.tls.truststore-password")
            .unsetMeans("no password").allowed("must open redis.tls.truststore", v -> true).shownAs(v -> "***")
            .means("Password of redis.tls.truststore.");
    /** {@code readiness.sessions.cookie.name}. */
    public static final Key<String> COOKIE_NAME = Key.text(P + "cookie.name").defaultsTo("SESSION")
            .allowed("must be a cookie token (letters, digits, - _ . and similar)", v -> v.matches(TOKEN))
            .means("Name of the session cookie.");
    /** {@code readiness.sessions.cookie.secure}. */
    public static final Key<Boolean> COOKIE_SECURE = Key.flag(P + "cookie.secure").defaultsTo(true)
            .means("Whether the cookie is sent over https only; false only for local plain http.");
    /** {@code readiness.sessions.cookie.same-site}. */
    public static final Key<String> SAME_SITE = Key.of(P + "cookie.same-site", Syntax.of("java.lang.String",
                    SessionSettings::sameSiteText, v -> v)).defaultsTo("Lax")
            .allowed("must be Lax, Strict or None", v -> List.of("Lax", "Strict", "None").contains(v))
            .means("The cookie's SameSite attribute.");
    /** {@code readiness.sessions.cookie.path}. */
    public static final Key<String> COOKIE_PATH = Key.text(P + "cookie.path")
            .unsetMeans("the context path, or / for the root context")
            .allowed("must start with / and hold no blanks, ; or control characters",
                    v -> v.startsWith("/") && v.chars().noneMatch(c -> c <= ' ' || c == ';' || c == 0x7f))
            .means("Path attribute of the session cookie.");
    /** {@code readiness.sessions.max-inactive-interval}. */
    public static final Key<Duration> MAX_INACTIVE_INTERVAL = Key.duration(P + "max-inactive-interval")
            .defaultsTo(Duration.ofMinutes(30)).between(Duration.ofSeconds(1), Duration.ofDays(366))
            .means("Idle time until a session expires.");
    /** {@code readiness.sessions.max-size}. */
    public static final Key<Integer> MAX_SIZE = Key.integer(P + "max-size").defaultsTo(64 * 1024)
            .allowed("must be between 1024 and 16777216 bytes", v -> v >= 1024 && v <= 16 * 1024 * 1024)
            .means("Bytes a session's attributes may take: their names (UTF-8) and encoded values.");
    /**
     * {@code readiness.sessions.max-attributes}. The save and rotate scripts hand each attribute to Redis as two
     * script arguments in one {@code unpack}, which Redis's Lua refuses beyond 7,999 values; 3,000 keeps every
     * call under it with room for the metadata, and the default of 1,000 is far above what a session holds.
     */
    public static final Key<Integer> MAX_ATTRIBUTES = Key.integer(P + "max-attributes").defaultsTo(1000)
            .allowed("must be between 1 and 3000", v -> v >= 1 && v <= 3000)
            .means("Attributes a session may hold; a save above it is refused, a stored session above it is not"
                    + " loaded.");
    /** {@code readiness.sessions.refresh-threshold}; also less than max-inactive-interval. */
    public static final Key<Duration> REFRESH_THRESHOLD = Key.duration(P + "refresh-threshold")
            .defaultsTo(Duration.ofSeconds(60)).between(Duration.ZERO, Duration.ofDays(366))
            .means("How old the last write or refresh must be before a request that only reads its session pushes"
                    + " the expiry forward; less than max-inactive-interval.");
    /** {@code readiness.sessions.mode}. */
    public static final Key<Mode> MODE = Key.of(P + "mode", Syntax.choice(Mode.class)).defaultsTo(Mode.REDIS)
            .allowed("must be redis or mirror", m -> true)
            .means("redis: Redis is the only store; mirror: the container's session stays the truth and is"
                    + " mirrored to Redis (migration from sticky instances).");
    /** {@code readiness.sessions.save-mode}. */
    public static final Key<SaveMode> SAVE_MODE = Key.of(P + "save-mode", Syntax.choice(SaveMode.class))
            .defaultsTo(SaveMode.CHANGED)
            .allowed("must be changed or set", m -> true)
            .means("changed: a save writes the attributes passed to setAttribute and those read with getAttribute"
                    + " and changed in place (a list appended to), compared with the bytes they were loaded from;"
                    + " set: only those passed to setAttribute.");
    /** {@code readiness.sessions.codec}. */
    public static final Key<Codec> CODEC = Key.of(P + "codec", Syntax.choice(Codec.class)).defaultsTo(Codec.BASIC)
            .allowed("must be basic, json or jdk", c -> true)
            .means("How attributes are encoded: basic (strings, numbers, lists and maps of them), json (Jackson 3)"
                    + " or jdk (Java serialization).");
    /** {@code readiness.sessions.allowlist}. */
    public static final Key<List<String>> ALLOWLIST = Key.of(P + "allowlist", Syntax.listOf(Syntax.TEXT))
            .unsetMeans("none: the json and jdk codecs read back no application class")
            .allowed("must be class names or patterns (com.example.Cart, com.example.*, com.example.**)",
                    SessionSettings::allowlistValid)
            .means("Classes the json and jdk codecs may read back.");

    /** The keys of {@code readiness.sessions.*}. */
    public static final Keys<Builder, SessionSettings> KEYS = Keys.of("sessions", "readiness.sessions",
                    SessionSettings::builder, Builder::build)
            .key(REDIS_URI, Builder::redisUri)
            .key(CLUSTER, Builder::cluster)
            .key(COMMAND_TIMEOUT, Builder::commandTimeout)
            .key(RECONNECT_MAX_DELAY, Builder::reconnectMaxDelay)
            .key(WAIT_REPLICAS, Builder::waitReplicas)
            .key(WAIT_TIMEOUT, Builder::waitTimeout)
            .key(KEY_PREFIX, Builder::keyPrefix)
            .key(REQUIRED, Builder::required)
            .key(NEAR_CACHE, Builder::nearCache)
            .key(NEAR_CACHE_MAX_BYTES, Builder::nearCacheMaxBytes)
            .key(TLS_CA_FILE, Builder::tlsCaFile)
            .key(TLS_TRUSTSTORE, (b, v) -> b.tlsTrustStore = v)
            .key(TLS_TRUSTSTORE_PASSWORD, (b, v) -> b.tlsTrustStorePassword = v)
            .key(COOKIE_NAME, Builder::cookieName)
            .key(COOKIE_SECURE, Builder::cookieSecure)
            .key(SAME_SITE, Builder::sameSite)
            .key(COOKIE_PATH, Builder::cookiePath)
            .key(MAX_INACTIVE_INTERVAL, Builder::maxInactiveInterval)
            .key(MAX_SIZE, Builder::maxSize)
            .key(MAX_ATTRIBUTES, Builder::maxAttributes)
            .key(REFRESH_THRESHOLD, Builder::refreshThreshold)
            .key(MODE, Builder::mode)
            .key(SAVE_MODE, Builder::saveMode)
            .key(CODEC, Builder::codec)
            .key(ALLOWLIST, Builder::allowlist);

    private final String redisUri;
    private final boolean cluster;
    private final Optional<Path> tlsCaFile;
    private final Optional<Path> tlsTrustStore;
    private final char[] tlsTrustStorePassword;
    private final Optional<TrustManagerFactory> tlsTrust;
    private final Duration commandTimeout;
    private final Duration reconnectMaxDelay;
    private final int waitReplicas;
    private final Duration waitTimeout;
    private final String keyPrefix;
    private final boolean required;
    private final String cookieName;
    private final boolean cookieSecure;
    private final String sameSite;
    private final Optional<String> cookiePath;
    private final Duration maxInactiveInterval;
    private final int maxSize;
    private final int maxAttributes;
    private final Duration refreshThreshold;
    private final Mode mode;
    private final SaveMode saveMode;
    private final Codec codec;
    private final List<String> allowlist;
    private final boolean nearCache;
    private final long nearCacheMaxBytes;

    private SessionSettings(Builder b) {
        this.redisUri = b.redisUri;
        this.cluster = b.cluster;
        this.tlsCaFile = Optional.ofNullable(b.tlsCaFile);
        this.tlsTrustStore = Optional.ofNullable(b.tlsTrustStore);
        this.tlsTrustStorePassword = b.tlsTrustStorePassword == null ? null : b.tlsTrustStorePassword.toCharArray();
        // read once, here: a file that cannot be read fails the start, not the first request
        this.tlsTrust = TrustMaterial.read(tlsCaFile, tlsTrustStore, tlsTrustStorePassword);
        this.commandTimeout = b.commandTimeout;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.waitReplicas = b.waitReplicas;
        this.waitTimeout = b.waitTimeout;
        this.keyPrefix = b.keyPrefix;
        this.required = b.required != null && b.required;
        this.cookieName = b.cookieName;
        this.cookieSecure = b.cookieSecure;
        this.sameSite = b.sameSite;
        this.cookiePath = Optional.ofNullable(b.cookiePath);
        this.maxInactiveInterval = b.maxInactiveInterval;
        this.maxSize = b.maxSize;
        this.maxAttributes = b.maxAttributes;
        this.refreshThreshold = b.refreshThreshold;
        this.mode = b.mode;
        this.saveMode = b.saveMode;
        this.codec = b.codec;
        this.allowlist = List.copyOf(b.allowlist);
        this.nearCache = b.nearCache;
        this.nearCacheMaxBytes = b.nearCacheMaxBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code readiness.sessions.redis.uri}: redis://, rediss:// or redis-sentinel://; comma-separated seeds for a cluster. */
    public String redisUri() {
        return redisUri;
    }

    /** {@code readiness.sessions.redis.cluster}, default false. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * {@code readiness.sessions.redis.tls.ca-file}, default none: a PEM file of the certificates (usually the CA)
     * that a {@code rediss://} server's certificate must chain to, instead of the JVM's default trust store.
     */
    public Optional<Path> tlsCaFile() {
        return tlsCaFile;
    }

    /**
     * {@code readiness.sessions.redis.tls.truststore} (PKCS12 or JKS) with
     * {@code readiness.sessions.redis.tls.truststore-password}, default none: as {@link #tlsCaFile()}, from a key
     * store.
     */
    public Optional<Path> tlsTrustStore() {
        return tlsTrustStore;
    }

    /**
     * The trust managers for {@code rediss://} connections built from {@link #tlsCaFile()} or
     * {@link #tlsTrustStore()}, read from the file once, when these settings were built; empty when neither is
     * set (the JVM's default trust store, {@code javax.net.ssl.trustStore}, applies). Peer verification stays on either way: the server's
     * certificate must chain to a trusted one and name the host in the URI.
     */
    public Optional<TrustManagerFactory> tlsTrustManagers() {
        return tlsTrust;
    }

    /** {@code readiness.sessions.redis.command-timeout}, default 2s: the longest a request waits for Redis. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * {@code readiness.sessions.redis.wait-replicas}, default 0 (off): with N, every save, rotation and
     * invalidation is followed by {@code WAIT N wait-timeout} on the same connection in the same round trip. A write
     * fewer than N replicas confirmed is not failed (it is applied on the master, and the next request sees it); it is
     * counted ({@code readiness.sessions.redis.wait.short}) and logged once per run of short answers.
     */
    public int waitReplicas() {
        return waitReplicas;
    }

    /** {@code readiness.sessions.redis.wait-timeout}, default 100 ms: the WAIT's timeout. */
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /** {@code readiness.sessions.redis.reconnect-max-delay}, default 1 s: the cap of the reconnect backoff. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** {@code readiness.sessions.redis.key-prefix}, default {@code readiness:session:}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * {@code readiness.sessions.redis.required}: whether the Redis check gates readiness; false by default in both
     * modes (a shared Redis's outage must not take every replica out of the Service).
     */
    public boolean required() {
        return required;
    }

    /** {@code readiness.sessions.cookie.name}, default SESSION. */
    public String cookieName() {
        return cookieName;
    }

    /** {@code readiness.sessions.cookie.secure}, default true; false only for local plain http. */
    public boolean cookieSecure() {
        return cookieSecure;
    }

    /** {@code readiness.sessions.cookie.same-site}: Lax (default), Strict or None. */
    public String sameSite() {
        return sameSite;
    }

    /** {@code readiness.sessions.cookie.path}; default the context path, or / for the root context. */
    public Optional<String> cookiePath() {
        return cookiePath;
    }

    /** {@code readiness.sessions.max-inactive-interval}, default 30m. */
    public Duration maxInactiveInterval() {
        return maxInactiveInterval;
    }

    /** {@code readiness.sessions.max-size}, default 65536 bytes of encoded attributes. */
    public int maxSize() {
        return maxSize;
    }

    /** {@code readiness.sessions.max-attributes}, default 1000. */
    public int maxAttributes() {
        return maxAttributes;
    }

    /**
     * {@code readiness.sessions.refresh-threshold}, default 60s: a request that only reads its session pushes
     * the expiry forward only when the last write or refresh is at least this old. A session may therefore
     * expire up to this much earlier than max-inactive-interval after its last read.
     */
    public Duration refreshThreshold() {
        return refreshThreshold;
    }

    /**
     * {@code readiness.sessions.redis.near-cache.enabled}, default false: keep sessions this instance read or
     * wrote, invalidated by Redis's client tracking (RESP3, Redis 6.2 or later), so reading an unchanged session
     * costs no round trip. Standalone and Sentinel; off for a Redis Cluster. It turns itself off, saying so, where
     * Redis does not offer tracking. It trades consistency: until the invalidation has arrived, a read on this
     * instance can return a session as it was before another instance changed it (the sessions guide has the
     * measured window). Off by default for that reason.
     */
    public boolean nearCache() {
        return nearCache;
    }

    /** {@code readiness.sessions.redis.near-cache.max-bytes}, default 16777216: the near cache's size bound. */
    public long nearCacheMaxBytes() {
        return nearCacheMaxBytes;
    }

    /** {@code readiness.sessions.mode}: redis (default) or mirror. */
    public Mode mode() {
        return mode;
    }

    /** {@code readiness.sessions.save-mode}: changed (default) or set. */
    public SaveMode saveMode() {
        return saveMode;
    }

    /** {@code readiness.sessions.codec}: basic (default), json or jdk. */
    public Codec codec() {
        return codec;
    }

    /** {@code readiness.sessions.allowlist}: classes the json and jdk codecs may read back. */
    public List<String> allowlist() {
        return allowlist;
    }

    /**
     * The configured codec.
     *
     * @throws ReadinessConfigException when json is chosen and Jackson 3 is not on the class path
     */
    public AttributeCodec createCodec() {
        ClassAllowlist list = new ClassAllowlist(allowlist);
        switch (codec) {
            case JDK:
                return new JdkSerializationCodec(list);
            case JSON:
                try {
                    Class.forName("tools.jackson.databind.json.JsonMapper", false, SessionSettings.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new ReadinessConfigException(CODEC.name(), CODEC.syntax().format(codec),
                            "must be basic or jdk unless tools.jackson.core:jackson-databind is on the class path", e);
                }
                return new dev.readiness.sessions.codec.JsonAttributeCodec(list);
            default:
                return new BasicAttributeCodec();
        }
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private String redisUri;
        private boolean cluster;
        private Path tlsCaFile;
        private Path tlsTrustStore;
        private String tlsTrustStorePassword;
        private Duration commandTimeout = Duration.ofSeconds(2);
        private Duration reconnectMaxDelay = Duration.ofSeconds(1);
        private int waitReplicas = 0;
        private Duration waitTimeout = Duration.ofMillis(100);
        private String keyPrefix = "readiness:session:";
        private Boolean required;
        private String cookieName = "SESSION";
        private boolean cookieSecure = true;
        private String sameSite = "Lax";
        private String cookiePath;
        private Duration maxInactiveInterval = Duration.ofMinutes(30);
        private int maxSize = 64 * 1024;
        private int maxAttributes = 1000;
        private Duration refreshThreshold = Duration.ofSeconds(60);
        private Mode mode = Mode.REDIS;
        private SaveMode saveMode = SaveMode.CHANGED;
        private Codec codec = Codec.BASIC;
        private List<String> allowlist = List.of();
        private boolean nearCache = false;
        private long nearCacheMaxBytes = 16L * 1024 * 1024;

        private Builder() {
        }

        public Builder redisUri(String v) { this.redisUri = v; return this; }
        public Builder cluster(boolean v) { this.cluster = v; return this; }
        public Builder tlsCaFile(Path v) { this.tlsCaFile = v; return this; }
        public Builder tlsTrustStore(Path v, String password) {
            this.tlsTrustStore = v;
            this.tlsTrustStorePassword = password;
            return this;
        }
        public Builder commandTimeout(Duration v) { this.commandTimeout = v; return this; }
        public Builder reconnectMaxDelay(Duration v) { this.reconnectMaxDelay = v; return this; }
        public Builder waitReplicas(int v) { this.waitReplicas = v; return this; }
        public Builder waitTimeout(Duration v) { this.waitTimeout = v; return this; }
        public Builder keyPrefix(String v) { this.keyPrefix = v; return this; }
        public Builder required(boolean v) { this.required = v; return this; }
        public Builder cookieName(String v) { this.cookieName = v; return this; }
        public Builder cookieSecure(boolean v) { this.cookieSecure = v; return this; }
        public Builder sameSite(String v) { this.sameSite = v; return this; }
        public Builder cookiePath(String v) { this.cookiePath = v; return this; }
        public Builder maxInactiveInterval(Duration v) { this.maxInactiveInterval = v; return this; }
        public Builder maxSize(int v) { this.maxSize = v; return this; }
        public Builder maxAttributes(int v) { this.maxAttributes = v; return this; }
        public Builder refreshThreshold(Duration v) { this.refreshThreshold = v; return this; }
        public Builder mode(Mode v) { this.mode = v; return this; }
        public Builder saveMode(SaveMode v) { this.saveMode = v; return this; }
        public Builder codec(Codec v) { this.codec = v; return this; }
        public Builder allowlist(List<String> v) { this.allowlist = v; return this; }
        public Builder nearCache(boolean v) { this.nearCache = v; return this; }
        public Builder nearCacheMaxBytes(long v) { this.nearCacheMaxBytes = v; return this; }

        /**
         * @throws ReadinessConfigException naming the key, the bad value and what is allowed
         */
        public SessionSettings build() {
            ReadinessConfigException.require(redisUri != null && !redisUri.isBlank(), REDIS_URI.name(), "(empty)",
                    "must be set (READINESS_SESSIONS_REDIS_URI), e.g. redis://host:6379");
            redisUri = REDIS_URI.check(redisUri.trim());
            String lower = redisUri.toLowerCase(Locale.ROOT);
            boolean sentinel = lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://");
            ReadinessConfigException.require(!(sentinel && cluster), CLUSTER.name(), true,
                    "must be false with a redis-sentinel:// URI");
            ReadinessConfigException.require(cluster || sentinel || !redisUri.contains(","), REDIS_URI.name(),
                    redact(redisUri), "must name one server; for a Redis Cluster set readiness.sessions.redis.cluster=true");
            ReadinessConfigException.require(tlsCaFile == null || tlsTrustStore == null, TLS_CA_FILE.name(),
                    tlsCaFile, "must not be combined with readiness.sessions.redis.tls.truststore; set one of them");
            ReadinessConfigException.require(tlsTrustStorePassword == null || tlsTrustStore != null,
                    TLS_TRUSTSTORE_PASSWORD.name(), "***", "must not be set without readiness.sessions.redis.tls.truststore");
            ReadinessConfigException.require((tlsCaFile == null && tlsTrustStore == null) || lower.contains("rediss"),
                    tlsCaFile != null ? TLS_CA_FILE.name() : TLS_TRUSTSTORE.name(),
                    tlsCaFile != null ? tlsCaFile : tlsTrustStore,
                    "must go with a rediss:// readiness.sessions.redis.uri (it does not use TLS, so this has no effect)");
            COMMAND_TIMEOUT.check(commandTimeout);
            MAX_ATTRIBUTES.check(maxAttributes);
            RECONNECT_MAX_DELAY.check(reconnectMaxDelay);
            WAIT_REPLICAS.check(waitReplicas);
            WAIT_TIMEOUT.check(waitTimeout);
            ReadinessConfigException.require(waitReplicas == 0 || waitTimeout.compareTo(commandTimeout) < 0,
                    WAIT_TIMEOUT.name(),
                    Syntax.DURATION.format(waitTimeout), "must be less than readiness.sessions.redis.command-timeout ("
                            + Syntax.DURATION.format(commandTimeout) + "), or every save that waits would time out");
            KEY_PREFIX.check(keyPrefix);
            COOKIE_NAME.check(cookieName);
            sameSite = SAME_SITE.parse(sameSite == null ? "" : sameSite);
            ReadinessConfigException.require(!"None".equals(sameSite) || cookieSecure, SAME_SITE.name(), sameSite,
                    "must not be None unless readiness.sessions.cookie.secure=true (browsers drop it otherwise)");
            if (cookiePath != null) {
                COOKIE_PATH.check(cookiePath);
            }
            MAX_INACTIVE_INTERVAL.check(maxInactiveInterval);
            MAX_SIZE.check(maxSize);
            REFRESH_THRESHOLD.check(refreshThreshold);
            ReadinessConfigException.require(refreshThreshold.compareTo(maxInactiveInterval) < 0,
                    REFRESH_THRESHOLD.name(), Syntax.DURATION.format(refreshThreshold), "must be less than"
                            + " readiness.sessions.max-inactive-interval (" + Syntax.DURATION.format(maxInactiveInterval) + ")");
            NEAR_CACHE_MAX_BYTES.check(nearCacheMaxBytes);
            MODE.check(mode);
            SAVE_MODE.check(saveMode);
            CODEC.check(codec);
            allowlist = ALLOWLIST.check(allowlist == null ? List.of() : List.copyOf(allowlist));
            return new SessionSettings(this);
        }
    }

    /**
     * The settings {@code source} gives for {@code readiness.sessions.*}, every key it does not have at its
     * default; TLS trust files are read here.
     *
     * @throws ReadinessConfigException naming the key, the value as written (a password never) and what is allowed
     */
    public static SessionSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    private static boolean schemeKnown(String uri) {
        String lower = uri.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")) {
            return lower.length() > "redis-sentinel://".length() + 1;
        }
        for (String u : lower.split(",", -1)) {
            String t = u.trim();
            if (!(t.startsWith("redis://") || t.startsWith("rediss://")) || t.endsWith("//")
                    || t.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    private static String sameSiteText(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return Character.toUpperCase(v.charAt(0)) + v.substring(1);
    }

    private static boolean allowlistValid(List<String> list) {
        try {
            new ClassAllowlist(list);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Every setting, the URI without its password and the trust store password hidden. */
    @Override
    public String toString() {
        return "SessionSettings{redis.uri=" + redact(redisUri) + ", redis.cluster=" + cluster
                + ", redis.command-timeout=" + Syntax.DURATION.format(commandTimeout)
                + ", redis.reconnect-max-delay=" + Syntax.DURATION.format(reconnectMaxDelay)
                + ", redis.wait-replicas=" + waitReplicas + ", redis.wait-timeout=" + Syntax.DURATION.format(waitTimeout)
                + ", redis.key-prefix=" + keyPrefix
                + ", redis.required=" + required + ", redis.near-cache.enabled=" + nearCache
                + ", redis.near-cache.max-bytes=" + nearCacheMaxBytes
                + ", redis.tls.ca-file=" + tlsCaFile.map(Path::toString).orElse("none")
                + ", redis.tls.truststore=" + tlsTrustStore.map(Path::toString).orElse("none")
                + ", redis.tls.truststore-password=" + (tlsTrustStorePassword == null ? "none" : "***")
                + ", cookie.name=" + cookieName + ", cookie.secure=" + cookieSecure + ", cookie.same-site=" + sameSite
                + ", cookie.path=" + cookiePath.orElse("(context path)")
                + ", max-inactive-interval=" + Syntax.DURATION.format(maxInactiveInterval) + ", max-size=" + maxSize
                + ", max-attributes=" + maxAttributes
                + ", refresh-threshold=" + Syntax.DURATION.format(refreshThreshold) + ", mode=" + MODE.syntax().format(mode)
                + ", save-mode=" + SAVE_MODE.syntax().format(saveMode)
                + ", codec=" + CODEC.syntax().format(codec) + ", allowlist=" + String.join(",", allowlist) + "}";
    }

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("//([^@/,]*)@");

    /**
     * The URI without its password, for messages: {@code redis://user:***@host}, and {@code redis://***@host} where
     * the user part is the password alone (Redis before ACLs).
     */
    static String redact(String uri) {
        if (uri == null) {
            return null;
        }
        java.util.regex.Matcher m = USER_INFO.matcher(uri);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String user = m.group(1);
            int colon = user.indexOf(':');
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    "//" + (colon < 0 ? "***" : user.substring(0, colon) + ":***") + "@"));
        }
        return m.appendTail(out).toString();
    }
}
