package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.sessions.codec.AttributeCodec;
import dev.readiness.sessions.codec.BasicAttributeCodec;
import dev.readiness.sessions.codec.ClassAllowlist;
import dev.readiness.sessions.codec.JdkSerializationCodec;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Immutable, validated session settings. Build with {@link #builder()} or from configuration with
 * {@link SessionsConfig#from(org.eclipse.microprofile.config.Config)}. Every setter names its key and default.
 */
public final class SessionSettings {

    /** Where the container session and Redis stand relative to each other. */
    public enum Mode {
        /** Redis is the only store; the container creates no sessions. */
        REDIS,
        /** Migration: the container session is the truth and is mirrored to Redis; sessions it lacks come from Redis. */
        MIRROR
    }

    static final String P = "readiness.sessions.";

    private final String redisUri;
    private final boolean cluster;
    private final Optional<Path> tlsCaFile;
    private final Optional<Path> tlsTrustStore;
    private final char[] tlsTrustStorePassword;
    private final Optional<TrustManagerFactory> tlsTrust;
    private final Duration commandTimeout;
    private final String keyPrefix;
    private final boolean required;
    private final String cookieName;
    private final boolean cookieSecure;
    private final String sameSite;
    private final Optional<String> cookiePath;
    private final Duration maxInactiveInterval;
    private final int maxSize;
    private final Duration refreshThreshold;
    private final Mode mode;
    private final String codec;
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
        this.tlsTrust = readTrustManagers();
        this.commandTimeout = b.commandTimeout;
        this.keyPrefix = b.keyPrefix;
        this.required = b.required;
        this.cookieName = b.cookieName;
        this.cookieSecure = b.cookieSecure;
        this.sameSite = b.sameSite;
        this.cookiePath = Optional.ofNullable(b.cookiePath);
        this.maxInactiveInterval = b.maxInactiveInterval;
        this.maxSize = b.maxSize;
        this.refreshThreshold = b.refreshThreshold;
        this.mode = b.mode;
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

    /** @throws ReadinessConfigException naming the key and file when it cannot be read or holds no certificate */
    private Optional<TrustManagerFactory> readTrustManagers() {
        if (tlsCaFile.isPresent()) {
            return Optional.of(trustManagers(caFileStore(tlsCaFile.get())));
        }
        if (tlsTrustStore.isPresent()) {
            return Optional.of(trustManagers(trustStore(tlsTrustStore.get(), tlsTrustStorePassword)));
        }
        return Optional.empty();
    }

    private static KeyStore caFileStore(Path file) {
        String key = P + "redis.tls.ca-file";
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            ReadinessConfigException.require(!certs.isEmpty(), key, file, "holds no PEM certificate");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (IOException e) {
            throw new ReadinessConfigException(key, file, "cannot be read: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new ReadinessConfigException(key, file, "is not a PEM file of X.509 certificates: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path file, char[] password) {
        String key = P + "redis.tls.truststore";
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
            throw new ReadinessConfigException(key, file, badPassword
                    ? "cannot be opened with readiness.sessions.redis.tls.truststore-password (wrong password?)"
                    : "cannot be read as a PKCS12 or JKS trust store: " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ReadinessConfigException(key, file, "is not a PKCS12 or JKS trust store: " + e.getMessage(), e);
        }
        try {
            boolean any = false;
            for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                any |= ks.isCertificateEntry(aliases.nextElement());
            }
            ReadinessConfigException.require(any, key, file, "holds no trusted certificate entry");
        } catch (java.security.KeyStoreException e) {
            throw new ReadinessConfigException(key, file, "cannot be read: " + e.getMessage(), e);
        }
        return ks;
    }

    private static TrustManagerFactory trustManagers(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust manager cannot use a key store: " + e, e);
        }
    }

    /** {@code readiness.sessions.redis.command-timeout}, default 2s: the longest a request waits for Redis. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** {@code readiness.sessions.redis.key-prefix}, default {@code readiness:session:}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** {@code readiness.sessions.redis.required}, default true: whether the Redis check gates readiness. */
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

    /** {@code readiness.sessions.codec}: basic (default), json or jdk. */
    public String codec() {
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
            case "jdk":
                return new JdkSerializationCodec(list);
            case "json":
                try {
                    Class.forName("tools.jackson.databind.json.JsonMapper", false, SessionSettings.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new ReadinessConfigException(P + "codec", codec,
                            "needs tools.jackson.core:jackson-databind on the class path", e);
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
        private String keyPrefix = "readiness:session:";
        private boolean required = true;
        private String cookieName = "SESSION";
        private boolean cookieSecure = true;
        private String sameSite = "Lax";
        private String cookiePath;
        private Duration maxInactiveInterval = Duration.ofMinutes(30);
        private int maxSize = 64 * 1024;
        private Duration refreshThreshold = Duration.ofSeconds(60);
        private Mode mode = Mode.REDIS;
        private String codec = "basic";
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
        public Builder keyPrefix(String v) { this.keyPrefix = v; return this; }
        public Builder required(boolean v) { this.required = v; return this; }
        public Builder cookieName(String v) { this.cookieName = v; return this; }
        public Builder cookieSecure(boolean v) { this.cookieSecure = v; return this; }
        public Builder sameSite(String v) { this.sameSite = v; return this; }
        public Builder cookiePath(String v) { this.cookiePath = v; return this; }
        public Builder maxInactiveInterval(Duration v) { this.maxInactiveInterval = v; return this; }
        public Builder maxSize(int v) { this.maxSize = v; return this; }
        public Builder refreshThreshold(Duration v) { this.refreshThreshold = v; return this; }
        public Builder mode(Mode v) { this.mode = v; return this; }
        public Builder codec(String v) { this.codec = v; return this; }
        public Builder allowlist(List<String> v) { this.allowlist = v; return this; }
        public Builder nearCache(boolean v) { this.nearCache = v; return this; }
        public Builder nearCacheMaxBytes(long v) { this.nearCacheMaxBytes = v; return this; }

        /**
         * @throws ReadinessConfigException naming the key, the bad value and what is allowed
         */
        public SessionSettings build() {
            ReadinessConfigException.require(redisUri != null && !redisUri.isBlank(), P + "redis.uri", redisUri,
                    "must be set (READINESS_SESSIONS_REDIS_URI), e.g. redis://host:6379");
            String lower = redisUri.trim().toLowerCase(Locale.ROOT);
            // A Sentinel URI lists its sentinels with commas itself: redis-sentinel://h1:26379,h2:26379#master
            boolean sentinel = lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://");
            ReadinessConfigException.require(!(sentinel && cluster), P + "redis.cluster", true,
                    "cannot be combined with a redis-sentinel:// URI");
            for (String u : sentinel ? new String[] {redisUri} : redisUri.split(",")) {
                String s = u.trim().toLowerCase(Locale.ROOT);
                ReadinessConfigException.require(s.startsWith("redis://") || s.startsWith("rediss://") || sentinel,
                        P + "redis.uri", redact(redisUri), "must start with redis://, rediss:// or redis-sentinel://");
            }
            ReadinessConfigException.require(cluster || sentinel || !redisUri.contains(","), P + "redis.uri",
                    redact(redisUri), "lists several servers; set readiness.sessions.redis.cluster=true for a Redis Cluster");
            ReadinessConfigException.require(tlsCaFile == null || tlsTrustStore == null, P + "redis.tls.ca-file",
                    tlsCaFile, "cannot be combined with readiness.sessions.redis.tls.truststore; set one of them");
            ReadinessConfigException.require(tlsTrustStorePassword == null || tlsTrustStore != null,
                    P + "redis.tls.truststore-password", "***", "is set without readiness.sessions.redis.tls.truststore");
            ReadinessConfigException.require((tlsCaFile == null && tlsTrustStore == null) || lower.contains("rediss"),
                    tlsCaFile != null ? P + "redis.tls.ca-file" : P + "redis.tls.truststore",
                    tlsCaFile != null ? tlsCaFile : tlsTrustStore,
                    "has no effect: readiness.sessions.redis.uri does not use TLS (rediss://)");
            ReadinessConfigException.require(positive(commandTimeout), P + "redis.command-timeout", commandTimeout,
                    "must be a positive duration");
            ReadinessConfigException.require(keyPrefix != null && !keyPrefix.contains("{") && !keyPrefix.contains("}"),
                    P + "redis.key-prefix", keyPrefix, "must not contain { or } (the id supplies the hash tag)");
            ReadinessConfigException.require(cookieName != null && cookieName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"),
                    P + "cookie.name", cookieName, "must be a cookie token (letters, digits, - _ . and similar)");
            String ss = sameSite == null ? "" : sameSite.trim();
            ReadinessConfigException.require(List.of("lax", "strict", "none").contains(ss.toLowerCase(Locale.ROOT)),
                    P + "cookie.same-site", sameSite, "must be Lax, Strict or None");
            sameSite = Character.toUpperCase(ss.charAt(0)) + ss.substring(1).toLowerCase(Locale.ROOT);
            ReadinessConfigException.require(!"None".equals(sameSite) || cookieSecure, P + "cookie.same-site", sameSite,
                    "None needs readiness.sessions.cookie.secure=true (browsers drop it otherwise)");
            ReadinessConfigException.require(cookiePath == null || cookiePath.startsWith("/"), P + "cookie.path",
                    cookiePath, "must start with /");
            ReadinessConfigException.require(positive(maxInactiveInterval) && maxInactiveInterval.toSeconds() >= 1,
                    P + "max-inactive-interval", maxInactiveInterval, "must be at least 1s");
            ReadinessConfigException.require(maxSize >= 1024 && maxSize <= 16 * 1024 * 1024, P + "max-size", maxSize,
                    "must be between 1024 and 16777216 bytes");
            ReadinessConfigException.require(refreshThreshold != null && !refreshThreshold.isNegative()
                            && refreshThreshold.compareTo(maxInactiveInterval) < 0, P + "refresh-threshold",
                    refreshThreshold, "must be 0 or more and less than max-inactive-interval (" + maxInactiveInterval + ")");
            ReadinessConfigException.require(nearCacheMaxBytes >= 64 * 1024 && nearCacheMaxBytes <= (1L << 40),
                    P + "redis.near-cache.max-bytes", nearCacheMaxBytes, "must be between 65536 and 1099511627776 bytes");
            ReadinessConfigException.require(mode != null, P + "mode", mode, "must be redis or mirror");
            String c = codec == null ? "" : codec.trim().toLowerCase(Locale.ROOT);
            ReadinessConfigException.require(List.of("basic", "json", "jdk").contains(c), P + "codec", codec,
                    "must be basic, json or jdk");
            codec = c;
            try {
                new ClassAllowlist(allowlist);
            } catch (IllegalArgumentException e) {
                throw new ReadinessConfigException(P + "allowlist", allowlist, e.getMessage(), e);
            }
            return new SessionSettings(this);
        }

        private static boolean positive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        return uri == null ? null : uri.replaceAll("//([^@/]*):([^@/]*)@", "//$1:***@");
    }
}
