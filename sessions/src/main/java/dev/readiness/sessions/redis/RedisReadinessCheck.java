package dev.readiness.sessions.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.SessionStoreUnavailableException;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store's readiness: one PING on the store's own connection within the check's timeout. A PING that fails or
 * times out also drops the near cache, since its invalidations may have been lost with the connection. It follows
 * the connection's events (standalone and Sentinel): a drop Lettuce does not repair within the connection grace is
 * DOWN at once, and a reconnect is evaluated at once.
 */
final class RedisReadinessCheck implements DependencyCheck, ConnectionAware {

    private final RedisConnection connection;
    private final String where;
    private final NearCache nearCache;

    /** @param nearCache flushed when Redis does not answer, or null */
    RedisReadinessCheck(RedisConnection connection, String where, NearCache nearCache) {
        this.connection = connection;
        this.where = where;
        this.nearCache = nearCache;
    }

    @Override
    public CheckResult check(Duration timeout) throws InterruptedException {
        try {
            String pong = connection.commands().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            connection.answered();
            return "PONG".equals(pong) ? CheckResult.up().withDetail("redis", where)
                    : CheckResult.down("unexpected PING reply from " + where + ": " + pong);
        } catch (TimeoutException e) {
            connection.timedOut();
            flush();
            return CheckResult.down("Redis at " + where + " did not answer PING within " + timeout);
        } catch (ExecutionException e) {
            flush();
            return CheckResult.down("Redis at " + where + ": " + e.getCause().getMessage());
        } catch (SessionStoreUnavailableException e) {
            return CheckResult.down(e.getMessage());
        }
    }

    @Override
    public AutoCloseable watch(ConnectionSignals signals) {
        return connection.watch(signals);
    }

    private void flush() {
        if (nearCache != null) {
            nearCache.flush();
        }
    }
}
