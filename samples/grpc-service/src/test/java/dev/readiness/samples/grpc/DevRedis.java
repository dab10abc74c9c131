package dev.readiness.samples.grpc;

import dev.readiness.testkit.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Development only: a local redis-server for when no Redis is configured, so that the sample runs on a machine
 * with nothing but a JDK. It is the binary that the {@code com.github.codemonstur:embedded-redis} artifact
 * ships (or a {@code redis-server} on the PATH), started on a free loopback port without persistence.
 * It lives in the test sources, run by {@link DevGrpcService}: the production jar holds no development Redis.
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
                    + " binary {}). Development only. In a cluster, set READINESS_SESSIONS_REDIS_URI.", server.uri(), server.pid(), RedisServer.binary());
            return new DevRedis(server);
        } catch (IOException e) {
            throw new UncheckedIOException("READINESS_SESSIONS_REDIS_URI is not set and no development Redis could"
                    + " be started (" + e.getMessage() + "): set READINESS_SESSIONS_REDIS_URI to a Redis server", e);
        }
    }

    String uri() {
        return server.uri();
    }

    /** {@code config} with this Redis as {@code readiness.sessions.redis.uri}, below every other source. */
    org.eclipse.microprofile.config.Config configure(org.eclipse.microprofile.config.Config config) {
        java.util.List<org.eclipse.microprofile.config.spi.ConfigSource> sources = new java.util.ArrayList<>();
        config.getConfigSources().forEach(sources::add);
        sources.add(new io.smallrye.config.PropertiesConfigSource(
                java.util.Map.of("readiness.sessions.redis.uri", server.uri()), "development-redis", 1));
        return dev.readiness.core.config.ReadinessConfig.of(
                sources.toArray(org.eclipse.microprofile.config.spi.ConfigSource[]::new));
    }

    @Override
    public void close() {
        log.info("stopping the development Redis at {}", server.uri());
        server.close();
    }
}
