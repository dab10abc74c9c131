package dev.readiness.health.check.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness of Redis through a Lettuce connection: {@code PING}, waiting at most the check's timeout (not
 * Lettuce's command timeout, 60 s by default). A PING that has not answered by then is cancelled, so a hung
 * Redis queues at most one PING per evaluation.
 * <p>
 * Pass the application's own connection to see what the application sees (a PING queued behind its
 * commands), or a dedicated one to see Redis alone. Details: {@code latencyMs}.
 */
public final class RedisPingCheck implements DependencyCheck {

    private final StatefulRedisConnection<?, ?> connection;

    private RedisPingCheck(StatefulRedisConnection<?, ?> connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    public static RedisPingCheck of(StatefulRedisConnection<?, ?> connection) {
        return new RedisPingCheck(connection);
    }

    @Override
    public CheckResult check(Duration timeout) throws InterruptedException {
        if (!connection.isOpen()) {
            return CheckResult.down("connection is not open");
        }
        long start = System.nanoTime();
        RedisFuture<String> ping = connection.async().ping();
        try {
            String reply = ping.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            return "PONG".equalsIgnoreCase(reply)
                    ? CheckResult.up().withDetail("latencyMs", ms)
                    : CheckResult.down("unexpected reply to PING: " + reply).withDetail("latencyMs", ms);
        } catch (TimeoutException e) {
            ping.cancel(true);
            return CheckResult.down("no reply to PING within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return CheckResult.down(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            ping.cancel(true);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "RedisPingCheck";
    }
}
