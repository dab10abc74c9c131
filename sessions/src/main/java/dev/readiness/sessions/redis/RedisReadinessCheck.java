package dev.readiness.sessions.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.SessionStoreUnavailableException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store's readiness: one PING on the store's own connection within the check's timeout; for a Redis Cluster,
 * CLUSTER INFO on every master that serves slots, so the check is DOWN while any slot's sessions cannot be served
 * (a master that does not answer and is not yet replaced, or a cluster that answers CLUSTERDOWN), and UP again once
 * the topology the store follows has every slot on a live master. A PING that fails or
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
            var commands = connection.commands();
            var cluster = connection.cluster();
            if (cluster != null) {
                return clusterCheck(cluster, timeout);
            }
            String pong = commands.ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Every slot-serving master asked at once; DOWN names each that did not answer or reported the cluster down. */
    private CheckResult clusterCheck(StatefulRedisClusterConnection<String, byte[]> cluster, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<RedisClusterNode, CompletableFuture<String>> asked = new LinkedHashMap<>();
        for (RedisClusterNode n : cluster.getPartitions()) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.hasNoSlots()) {
                asked.put(n, cluster.getConnectionAsync(n.getUri().getHost(), n.getUri().getPort())
                        .thenCompose(c -> c.async().clusterInfo().toCompletableFuture()));
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<RedisClusterNode, CompletableFuture<String>> e : asked.entrySet()) {
            RedisClusterNode n = e.getKey();
            String node = n.getUri().getHost() + ":" + n.getUri().getPort() + " (" + n.getSlots().size() + " slots)";
            try {
                String info = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!info.contains("cluster_state:ok")) {
                    problems.add(node + " reports the cluster down (cluster_state is not ok: requests get CLUSTERDOWN)");
                }
            } catch (TimeoutException t) {
                e.getValue().cancel(true);
                problems.add(node + " did not answer within " + timeout);
            } catch (ExecutionException x) {
                Throwable cause = x.getCause();
                if (!(cause instanceof RedisCommandExecutionException)) { // an error reply (CLUSTER INFO renamed) is an answer
                    problems.add(node + ": " + cause.getMessage());
                }
            }
        }
        if (asked.isEmpty()) {
            problems.add("no master serves slots in the topology the store knows");
        }
        if (!problems.isEmpty()) {
            return CheckResult.down("Redis Cluster at " + where + ": " + String.join("; ", problems));
        }
        connection.answered();
        return CheckResult.up().withDetail("redis", where).withDetail("masters", asked.size());
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
