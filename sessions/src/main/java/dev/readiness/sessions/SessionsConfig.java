package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code readiness.sessions.*}:
 * <pre>
 * readiness.sessions.redis.uri=redis://redis:6379   # READINESS_SESSIONS_REDIS_URI, required
 * readiness.sessions.redis.cluster=false
 * readiness.sessions.redis.command-timeout=2s
 * readiness.sessions.redis.key-prefix=readiness:session:
 * readiness.sessions.redis.required=true
 * readiness.sessions.redis.near-cache.enabled=false  # true: unchanged sessions read with no round trip
 * readiness.sessions.redis.near-cache.max-bytes=16777216
 * readiness.sessions.redis.tls.ca-file=/etc/redis-ca/ca.pem          # rediss:// trust; default: the JVM's
 * readiness.sessions.redis.tls.truststore=/etc/redis-ca/trust.p12    # or a PKCS12/JKS trust store
 * readiness.sessions.redis.tls.truststore-password=...
 * readiness.sessions.cookie.name=SESSION
 * readiness.sessions.cookie.secure=true
 * readiness.sessions.cookie.same-site=Lax
 * readiness.sessions.cookie.path=                   # default: the context path
 * readiness.sessions.max-inactive-interval=30m
 * readiness.sessions.max-size=65536
 * readiness.sessions.refresh-threshold=60s
 * readiness.sessions.mode=redis                     # or mirror
 * readiness.sessions.codec=basic                    # or json, jdk
 * readiness.sessions.allowlist=com.example.Cart,com.example.model.**
 * </pre>
 */
@ConfigMapping(prefix = "readiness.sessions")
public interface SessionsConfig {

    Redis redis();

    Cookie cookie();

    @WithDefault("30m")
    Duration maxInactiveInterval();

    @WithDefault("65536")
    int maxSize();

    @WithDefault("60s")
    Duration refreshThreshold();

    @WithDefault("redis")
    String mode();

    @WithDefault("basic")
    String codec();

    Optional<List<String>> allowlist();

    interface Redis {
        Optional<String> uri();

        @WithDefault("false")
        boolean cluster();

        @WithDefault("2s")
        Duration commandTimeout();

        @WithDefault("readiness:session:")
        String keyPrefix();

        @WithDefault("true")
        boolean required();

        Tls tls();

        NearCache nearCache();
    }

    /** Sessions kept in this instance while Redis's client tracking promises to invalidate them. */
    interface NearCache {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("16777216")
        long maxBytes();
    }

    /** Trust for {@code rediss://}; without it the JVM's default trust store applies. */
    interface Tls {
        /** PEM certificates to trust (e.g. the managed Redis's CA, mounted from a Secret). */
        Optional<String> caFile();

        /** PKCS12 or JKS trust store. */
        Optional<String> truststore();

        Optional<String> truststorePassword();
    }

    interface Cookie {
        @WithDefault("SESSION")
        String name();

        @WithDefault("true")
        boolean secure();

        @WithName("same-site")
        @WithDefault("Lax")
        String sameSite();

        Optional<String> path();
    }

    /**
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default SessionSettings toSettings() {
        SessionSettings.Mode m;
        try {
            m = SessionSettings.Mode.valueOf(mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReadinessConfigException("readiness.sessions.mode", mode(), "must be redis or mirror", e);
        }
        return SessionSettings.builder()
                .redisUri(redis().uri().orElse(null))
                .cluster(redis().cluster())
                .tlsCaFile(redis().tls().caFile().map(java.nio.file.Path::of).orElse(null))
                .tlsTrustStore(redis().tls().truststore().map(java.nio.file.Path::of).orElse(null),
                        redis().tls().truststorePassword().orElse(null))
                .commandTimeout(redis().commandTimeout())
                .keyPrefix(redis().keyPrefix())
                .required(redis().required())
                .cookieName(cookie().name())
                .cookieSecure(cookie().secure())
                .sameSite(cookie().sameSite())
                .cookiePath(cookie().path().orElse(null))
                .maxInactiveInterval(maxInactiveInterval())
                .maxSize(maxSize())
                .refreshThreshold(refreshThreshold())
                .mode(m)
                .codec(codec())
                .allowlist(allowlist().orElse(List.of()))
                .nearCache(redis().nearCache().enabled())
                .nearCacheMaxBytes(redis().nearCache().maxBytes())
                .build();
    }

    /** Reads and validates {@code readiness.sessions.*} from {@code config}. */
    static SessionSettings from(Config config) {
        return ReadinessConfig.mapping(config, SessionsConfig.class).toSettings();
    }
}
