package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionSettings;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code readiness.sessions.redis.wait-replicas}: a write followed by {@code WAIT N timeout} on the connection that
 * carried it (WAIT counts the replicas that have every write of its own connection), sent before the write's answer
 * is read, so both cost one round trip; concurrent writes share WAITs ({@link #confirm}). For a Redis Cluster that
 * is the connection to the key's master, the one Lettuce routes the write over.
 * <p>
 * A write fewer replicas confirm is not failed. The master applied it and every later request reads it, so a
 * failure would tell the user that a change was lost which is not; and after a failover the promoted master has no
 * replica, so failing unconfirmed writes would fail every write until one is added. It is counted
 * ({@code unconfirmed}, reason {@code short}) and logged as one WARN per master and run of short answers (one INFO
 * when that master's replicas confirm again). WAIT holds the connection, and every request behind it, for up to its
 * timeout; so after a short answer that master's writes of the next {@code reconnect-max-delay} send no WAIT
 * (counted as {@code skipped}) and the one after asks again: a lost replica costs the store at most one WAIT timeout
 * per {@code reconnect-max-delay} rather than one per write. A write whose WAIT got no answer at all (the connection
 * dropped, or nothing within the command timeout) fails like any command Redis did not answer: its master may be
 * gone with it, before its replica had it.
 */
final class Replication {

    private static final Logger log = LoggerFactory.getLogger(Replication.class);

    private final int replicas;
    private final long timeoutMillis;
    private final long pauseNanos;
    private final SessionEvents events;
    private final String where;
    /**
     * Per master ({@code host:port}, or "" for standalone and Sentinel): until when its writes do not wait, after
     * its last WAIT fell short. A cluster master without a replica (one promoted by a failover) does not stop the
     * other masters' writes from waiting.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> shortUntil =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Per master: the WAIT on the wire and the one queued behind it ({@link #confirm}). */
    private final java.util.concurrent.ConcurrentHashMap<String, Node> nodes =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The masters whose short answers were logged and that have not confirmed a write since: one WARN each. */
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Replication(SessionSettings settings, SessionEvents events, String where) {
        this.replicas = settings.waitReplicas();
        this.timeoutMillis = settings.waitTimeout().toMillis();
        this.pauseNanos = settings.reconnectMaxDelay().toNanos();
        this.events = events;
        this.where = where;
    }

    /** Where the WAIT for a write goes, and that WAIT. */
    record Target(String node, Supplier<RedisFuture<Long>> command) {
        Target {
            node = node == null ? "" : node;
        }

        RedisFuture<Long> send() {
            return command.get();
        }

        boolean sameNode(Target other) {
            return Objects.equals(node, other.node);
        }
    }

    /** Whether a write to {@code target} waits: not in the pause after its master's last short answer. */
    boolean due(Target target) {
        Long until = shortUntil.get(target.node());
        return until == null || System.nanoTime() - until >= 0;
    }

    /**
     * The WAIT for a write of {@code key}: on {@code c} itself (standalone, Sentinel), or on the connection to the
     * master of the key's slot as the store's topology has it, opened first if need be so that the write is routed
     * over the same, open connection.
     *
     * @throws RedisException if that master's connection cannot be opened within {@code timeoutNanos}
     */
    Target target(RedisConnection redis, RedisClusterAsyncCommands<String, byte[]> c, String key, long timeoutNanos) {
        StatefulRedisClusterConnection<String, byte[]> cluster = redis.cluster();
        if (cluster == null) {
            return new Target(null, () -> c.waitForReplication(replicas, timeoutMillis));
        }
        RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        if (master == null) {
            throw new RedisConnectionException("no master serves the slot of " + key + " in the topology the store"
                    + " knows of Redis at " + where);
        }
        String host = master.getUri().getHost();
        int port = master.getUri().getPort();
        StatefulRedisConnection<String, byte[]> node;
        try {
            node = cluster.getConnectionAsync(host, port).get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new RedisConnectionException("cannot connect to " + host + ":" + port + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RedisConnectionException("no connection to " + host + ":" + port + " within the command timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while connecting to " + host + ":" + port, e);
        }
        return new Target(host + ":" + port, () -> node.async().waitForReplication(replicas, timeoutMillis));
    }

    /**
     * The replicas that confirm a write just sent to {@code target}'s master. At most one WAIT per master is on the
     * wire: a write sent while one is shares the next, sent as soon as the one on the wire is answered and covering
     * every write sent before it on that connection (a group commit). WAIT blocks its connection, and Redis runs a
     * connection's WAITs one after the other, so without this a replica lost under N concurrent saves would hold the
     * connection for N wait-timeouts; with it, for at most two.
     */
    CompletableFuture<Long> confirm(Target target) {
        Node n = nodes.computeIfAbsent(target.node(), k -> new Node());
        synchronized (n) {
            if (n.onTheWire == null) {
                return send(n, target);
            }
            if (n.next == null) {
                n.next = new CompletableFuture<>();
            }
            n.nextTarget = target;
            return n.next;
        }
    }

    /** The WAITs of one master: the one on the wire, and the one the writes sent meanwhile wait for. */
    private static final class Node {
        CompletableFuture<Long> onTheWire;
        CompletableFuture<Long> next;
        Target nextTarget;
    }

    /** Sends a WAIT for {@code n}; the caller holds {@code n}'s lock. */
    private CompletableFuture<Long> send(Node n, Target target) {
        CompletableFuture<Long> f;
        try {
            f = target.send().toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        n.onTheWire = f;
        CompletableFuture<Long> sent = f;
        f.whenComplete((r, e) -> answered(n, sent));
        return f;
    }

    private void answered(Node n, CompletableFuture<Long> f) {
        CompletableFuture<Long> waiting;
        CompletableFuture<Long> following;
        synchronized (n) {
            if (n.onTheWire != f) {
                return;
            }
            waiting = n.next;
            n.next = null;
            if (waiting == null) {
                n.onTheWire = null;
                return;
            }
            following = send(n, n.nextTarget);
        }
        following.whenComplete((r, e) -> {
            if (e != null) {
                waiting.completeExceptionally(e);
            } else {
                waiting.complete(r);
            }
        });
    }

    /**
     * Waits for {@link #confirm}'s answer.
     *
     * @throws RedisException if the WAIT failed or was not answered within {@code timeoutNanos}
     */
    static long await(CompletableFuture<Long> confirmed, long timeoutNanos) {
        try {
            return confirmed.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause());
        } catch (TimeoutException e) {
            throw new io.lettuce.core.RedisCommandTimeoutException("WAIT not answered within the command timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while waiting for WAIT", e);
        }
    }

    /** A write sent without WAIT, in the pause after a short answer. */
    void skipped() {
        events.unconfirmed("skipped");
    }

    /** WAIT answered that {@code confirmed} replicas have the write. */
    void answered(Target target, long confirmed) {
        if (confirmed >= replicas) {
            shortUntil.remove(target.node());
            if (!warned.isEmpty() && warned.remove(target.node())) {
                log.info("readiness.sessions.redis.wait-replicas={}: {} replicas of Redis at {}{} confirm saves again",
                        replicas, confirmed, where, master(target));
            }
            return;
        }
        fellShort(target, confirmed + " of " + replicas + " replicas confirmed it within " + timeoutMillis
                + " ms (readiness.sessions.redis.wait-timeout)");
    }

    /** Redis answered the WAIT with an error after the write was answered (WAIT refused, or renamed away). */
    void failed(Target target, RedisException e) {
        fellShort(target, "its WAIT failed: " + e.getMessage());
    }

    private void fellShort(Target target, String why) {
        events.unconfirmed("short");
        shortUntil.put(target.node(), System.nanoTime() + pauseNanos);
        if (warned.add(target.node())) {
            log.warn("readiness.sessions.redis.wait-replicas={}: a save to Redis at {}{} was applied and answered, but {};"
                            + " a failover now could lose it. Saves are not failed for this; until replicas confirm"
                            + " again, one save per {} ms (readiness.sessions.redis.reconnect-max-delay) waits and the"
                            + " others do not (all counted as readiness.sessions.redis.unconfirmed)", replicas, where,
                    master(target), why, pauseNanos / 1_000_000);
        }
    }

    private static String master(Target target) {
        return target.node().isEmpty() ? "" : " (master " + target.node() + ")";
    }
}
