package dev.readiness.samples.grpc;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.health.check.redis.RedisPingCheck;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;

/**
 * The Redis this service depends on, PINGed by its readiness check. The first connection is made by the check,
 * not at start: a Redis that is down when the pod starts makes the check DOWN (degraded), never the start fail.
 * Once connected, Lettuce reconnects by itself and {@link RedisPingCheck} follows it.
 */
final class RedisDependency implements DependencyCheck, AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile RedisPingCheck ping;

    RedisDependency(RedisURI uri) {
        this.uri = uri;
        this.client = RedisClient.create();
    }

    @Override
    public CheckResult check(Duration timeout) throws InterruptedException {
        RedisPingCheck p = ping;
        if (p == null) {
            synchronized (this) {
                if (ping == null) {
                    RedisURI attempt = RedisURI.builder(uri).withTimeout(timeout).build();
                    try {
                        connection = client.connect(attempt);
                    } catch (RuntimeException e) {
                        return CheckResult.down("cannot connect to Redis at " + GrpcSampleSettings.redact(uri.toString())
                                + ": " + e.getMessage());
                    }
                    ping = RedisPingCheck.of(connection);
                }
                p = ping;
            }
        }
        return p.check(timeout);
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
