package dev.readiness.health.check.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
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
 * <p>
 * The check follows the connection's own events ({@link ConnectionAware}): when Lettuce reports the connection
 * closed and does not reconnect within the check's connection grace, readiness knows at once, and a reconnect is
 * evaluated at once, not at the next interval. How soon Lettuce reconnects is the client's reconnect delay
 * ({@code ClientResources.reconnectDelay}; Lettuce's default backs off to 30 s between attempts).
 */
public final class RedisPingCheck implements DependencyCheck, ConnectionAware {

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
    public AutoCloseable watch(ConnectionSignals signals) {
        return forward(connection, signals);
    }

    /**
     * Passes {@code connection}'s Lettuce state events to {@code signals}: a disconnect is a loss, a (re)connect a
     * restore.
     *
     * @return removes the listener
     */
    public static AutoCloseable forward(StatefulRedisConnection<?, ?> connection, ConnectionSignals signals) {
        RedisConnectionStateListener listener = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, java.net.SocketAddress address) {
                signals.restored();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                signals.lost("Lettuce reports the Redis connection closed");
            }
        };
        connection.addListener(listener);
        return () -> connection.removeListener(listener);
    }

    @Override
    public String toString() {
        return "RedisPingCheck";
    }
}
