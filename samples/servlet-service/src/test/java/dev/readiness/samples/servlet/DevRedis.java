package dev.readiness.samples.servlet;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.testkit.RedisServer;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Development only: a local redis-server for when no Redis is configured, so that the sample runs on a machine
 * with nothing but a JDK. It is the binary that the {@code com.github.codemonstur:embedded-redis} artifact
 * ships (or a {@code redis-server} on the PATH), started on a free loopback port without persistence.
 * It lives in the test sources, run by {@link DevServletService}: the production jar holds no development Redis.
 */
final class DevRedis implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevRedis.class);

    private final RedisServer server;

    private DevRedis(RedisServer server) {
        this.server = server;
    }

    static DevRedis start() {
        try {
            RedisServer server = RedisServer.startInOwnSession();
            log.warn("READINESS_SESSIONS_REDIS_URI is not set: started a local development Redis at {} (pid {},"
                    + " binary {}). Development only: sessions are lost when this process stops. In a cluster, set"
                    + " READINESS_SESSIONS_REDIS_URI.", server.uri(), server.pid(), RedisServer.binary());
            return new DevRedis(server);
        } catch (IOException e) {
            throw new UncheckedIOException("READINESS_SESSIONS_REDIS_URI is not set and no development Redis could"
                    + " be started (" + e.getMessage() + "): set READINESS_SESSIONS_REDIS_URI to a Redis server", e);
        }
    }

    String uri() {
        return server.uri();
    }

    /**
     * {@code config} with this Redis as {@code readiness.sessions.redis.uri}, and session cookies without the
     * {@code Secure} flag unless configured otherwise: a development run serves plain http on localhost.
     */
    Config configure(Config config) {
        List<ConfigSource> sources = new ArrayList<>();
        config.getConfigSources().forEach(sources::add);
        // Below every other source: an explicit setting still wins.
        sources.add(new PropertiesConfigSource(Map.of("readiness.sessions.redis.uri", server.uri(),
                "readiness.sessions.cookie.secure", "false"), "development-redis", 1));
        return ReadinessConfig.of(sources.toArray(ConfigSource[]::new));
    }

    @Override
    public void close() {
        log.info("stopping the development Redis at {}", server.uri());
        server.close();
    }
}
