package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.testkit.RedisCluster;
import dev.readiness.testkit.RedisSentinels;
import dev.readiness.testkit.RedisServer;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master SIGKILLed under session load, in a real Redis Cluster (3 masters, a replica each) and behind real
 * Sentinels (3 over a master and a replica): the store follows the promoted replica, the readiness check is DOWN only
 * while sessions cannot be served and comes back, and the run prints its figures (requests, failed, acknowledged
 * writes lost, seconds to recover) as {@code FAILOVER ...} lines, the ones {@code src/docs/reliability.md} quotes:
 * {@code mvn -pl sessions verify -Dit.test=FailoverIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class FailoverIT {

    static final int THREADS = 8;
    static final int SESSIONS = 48;

    @Test
    void aKilledClusterMasterIsReplacedByItsReplicaAndOnlyItsSessionsFailMeanwhile() throws Exception {
        clusterFailover(0);
    }

    @Test
    void withWaitReplicasAKilledClusterMasterLosesNoAcknowledgedWriteThatWasNotCountedUnconfirmed() throws Exception {
        SessionLoad.Figures f = clusterFailover(1);
        assertThat(f.writesLost()).as("a save confirmed by WAIT was on the promoted replica")
                .isLessThanOrEqualTo(lastUnconfirmed);
    }

    @Test
    void aKilledSentinelMasterIsReplacedByItsReplicaAndSessionsServeAgain() throws Exception {
        sentinelFailover(0);
    }

    @Test
    void withWaitReplicasAKilledSentinelMasterLosesNoAcknowledgedWriteThatWasNotCountedUnconfirmed() throws Exception {
        SessionLoad.Figures f = sentinelFailover(1);
        assertThat(f.writesLost()).as("a save confirmed by WAIT was on the promoted replica")
                .isLessThanOrEqualTo(lastUnconfirmed);
    }

    /**
     * The replica's link hangs (its proxy forwards nothing) for {@code LAG} while the master acknowledges saves,
     * then the master is killed: the promoted replica lacks what it never received. Without wait-replicas those
     * saves are lost unseen; with it each of them was counted as unconfirmed when it returned (no save is failed for
     * it: see Replication).
     */
    @Test
    void aReplicaThatLagsWhenTheMasterDiesLosesAcknowledgedWritesUnlessTheyWereCountedUnconfirmed() throws Exception {
        SessionLoad.Figures without = laggingReplicaFailover(0);
        assertThat(without.writesLost()).as("the harness sees writes the promoted replica never got").isPositive();
        SessionLoad.Figures with = laggingReplicaFailover(1);
        assertThat(with.writesLost()).as("every lost write was among the saves reported unconfirmed")
                .isLessThanOrEqualTo(lastUnconfirmed);
    }

    static final Duration LAG = Duration.ofMillis(500);
    /** Of the last run: the saves counted unconfirmed from its start until just after the kill. */
    static volatile long lastUnconfirmed;

    /**
     * The saves counted unconfirmed so far, read 300 ms after the kill: the saves in flight then are answered or
     * failed by that time, and no replica is promoted before the node timeout or down-after (1 s), so none of
     * them comes from a new master (whose own saves are unconfirmed: it has no replica).
     */
    static long unconfirmedSoonAfterTheKill(Unconfirmed unconfirmed) throws InterruptedException {
        Thread.sleep(300);
        return unconfirmed.get("short") + unconfirmed.get("skipped");
    }

    static SessionLoad.Figures laggingReplicaFailover(int waitReplicas) throws Exception {
        try (RedisSentinels set = RedisSentinels.startWithLaggableReplica()) {
            SessionSettings settings = SessionSettings.builder().redisUri(set.uri())
                    .commandTimeout(Duration.ofSeconds(1)).waitReplicas(waitReplicas).build();
            Unconfirmed unconfirmed = new Unconfirmed();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed);
                 SessionLoad load = new SessionLoad(store, THREADS, SESSIONS)) {
                warmUp(load);
                long before = unconfirmed.get("short") + unconfirmed.get("skipped");
                set.replicaLink().pause();
                Thread.sleep(LAG.toMillis());
                set.master().kill();
                set.replicaLink().dropConnections(); // what the proxy held never reaches the replica
                load.event();
                long upToTheKill = unconfirmedSoonAfterTheKill(unconfirmed);
                long during = upToTheKill - before;
                assertThat(load.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                        .as("every session saved again and the check UP after the failover").isTrue();
                SessionLoad.Figures f = load.verify();
                System.out.println(f.line("sentinel lagging replica wait-replicas=" + waitReplicas)
                        + " unconfirmed=" + unconfirmed + " unconfirmed-while-lagging=" + during);
                assertThat(set.masterPort()).isEqualTo(set.replica().port());
                lastUnconfirmed = upToTheKill;
                return f;
            }
        }
    }

    @Test
    void aReshardUnderLoadFailsNoRequestAndLosesNoWrite() throws Exception {
        try (RedisCluster cluster = RedisCluster.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(cluster.uris()).cluster(true)
                    .commandTimeout(Duration.ofSeconds(1)).build();
            try (RedisSessionStore store = RedisSessionStore.create(settings);
                 SessionLoad load = new SessionLoad(store, THREADS, SESSIONS)) {
                RedisServer from = busiest(cluster, load);
                RedisServer to = cluster.nodes().get((cluster.nodes().indexOf(from) + 1) % 3);
                List<Integer> moving = load.sessions(id -> owner(cluster, id) == from);
                warmUp(load);
                load.event();
                long t0 = System.nanoTime();
                java.util.Set<Integer> slots = new java.util.TreeSet<>();
                for (int i : moving) {
                    slots.add(slotOf(load.ids().get(i)));
                }
                int keys = 0;
                for (int slot : slots) {
                    // one key per MIGRATE and a pause after it: the source answers ASK for the moved key meanwhile
                    keys += cluster.moveSlot(slot, from, to, 1, Duration.ofMillis(100));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                Thread.sleep(1000); // load on the new owner after the last MOVED
                SessionLoad.Figures f = load.verify();
                System.out.println(f.line("cluster reshard") + String.format(java.util.Locale.ROOT,
                        " slots-moved=%d keys-moved=%d reshard-seconds=%.2f asking=%d", slots.size(), keys, seconds,
                        to.commandStats().getOrDefault("asking", 0L)));
                assertThat(keys).as("each session's key moved with its slot").isEqualTo(moving.size());
                for (int i : moving) {
                    assertThat(owner(cluster, load.ids().get(i))).isSameAs(to);
                }
                assertThat(to.commandStats().getOrDefault("asking", 0L))
                        .as("requests met ASK during the migration and followed it").isPositive();
                assertThat(f.failed()).as("MOVED and ASK are followed: no request fails").isZero();
                assertThat(f.writesLost()).isZero();
            }
        }
    }

    static SessionLoad.Figures clusterFailover(int waitReplicas) throws Exception {
        try (RedisCluster cluster = RedisCluster.startWithReplicas()) {
            SessionSettings settings = SessionSettings.builder().redisUri(cluster.uris()).cluster(true)
                    .commandTimeout(Duration.ofSeconds(1)).waitReplicas(waitReplicas).build();
            Unconfirmed unconfirmed = new Unconfirmed();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed);
                 SessionLoad load = new SessionLoad(store, THREADS, SESSIONS);
                 Readiness readiness = new Readiness(store)) {
                RedisServer victim = busiest(cluster, load);
                List<Integer> onVictim = load.sessions(id -> owner(cluster, id) == victim);
                warmUp(load);
                victim.kill();
                load.event();
                lastUnconfirmed = unconfirmedSoonAfterTheKill(unconfirmed);
                assertThat(load.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                        .as("every session saved again and the check UP after the failover").isTrue();
                SessionLoad.Figures f = load.verify();
                System.out.println(f.line("cluster wait-replicas=" + waitReplicas) + " unconfirmed=" + unconfirmed
                        + " " + readiness.verify());
                RedisServer promoted = cluster.replicas().get(cluster.nodes().indexOf(victim));
                assertThat(cluster.masterOf(slotOf(load.ids().get(onVictim.get(0))))).isSameAs(promoted);
                // the promoted replica never ran the scripts (replicas get their effects): its first EVALSHA met
                // NOSCRIPT and the store sent the body in the same request, which did not fail for it
                assertThat(promoted.commandStats().getOrDefault("eval", 0L)).as("scripts sent whole after promotion")
                        .isPositive();
                for (int i : load.sessions(id -> !onVictim.contains(load.ids().indexOf(id)))) {
                    assertThat(load.failedSinceEventOtherThanClusterDown(i))
                            .as("a session on a surviving master failed only while Redis answered CLUSTERDOWN").isFalse();
                }
                assertThat(f.failures()).doesNotContainKeys("noscript", "redis-error");
                return f;
            }
        }
    }

    static SessionLoad.Figures sentinelFailover(int waitReplicas) throws Exception {
        try (RedisSentinels set = RedisSentinels.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(set.uri())
                    .commandTimeout(Duration.ofSeconds(1)).waitReplicas(waitReplicas).build();
            Unconfirmed unconfirmed = new Unconfirmed();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed);
                 SessionLoad load = new SessionLoad(store, THREADS, SESSIONS);
                 Readiness readiness = new Readiness(store)) {
                warmUp(load);
                set.master().kill();
                load.event();
                lastUnconfirmed = unconfirmedSoonAfterTheKill(unconfirmed);
                assertThat(load.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                        .as("every session saved again and the check UP after the failover").isTrue();
                SessionLoad.Figures f = load.verify();
                System.out.println(f.line("sentinel wait-replicas=" + waitReplicas) + " unconfirmed=" + unconfirmed
                        + " " + readiness.verify());
                assertThat(set.masterPort()).isEqualTo(set.replica().port());
                assertThat(set.replica().commandStats().getOrDefault("eval", 0L))
                        .as("a new connection sends each script whole once").isPositive();
                assertThat(f.failed()).as("sessions could not be served until the promotion").isPositive();
                assertThat(f.checkDownSeconds()).as("the check saw the master gone").isPositive();
                assertThat(f.failures()).doesNotContainKeys("noscript", "redis-error");
                return f;
            }
        }
    }

    /**
     * The store's check registered for readiness as the guide shows, twice: degraded (the default,
     * readiness.sessions.redis.required=false) and required. Sampled every 50 ms through the failover.
     */
    static final class Readiness implements AutoCloseable {
        private final HealthRegistry degraded = HealthRegistry.create();
        private final HealthRegistry required = HealthRegistry.create();
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile long degradedNanos;
        private volatile long requiredDownNanos;
        private volatile boolean defaultDownSeen;

        Readiness(RedisSessionStore store) {
            for (HealthRegistry r : List.of(degraded, required)) {
                r.readiness("redis-sessions", store.readinessCheck(), CheckOptions.builder()
                        .interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(500))
                        .required(r == required).build());
                r.start();
                r.markStarted();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> required.report(Probe.READINESS).isUp()
                    && !degraded.report(Probe.READINESS).degraded());
            sampler = new Thread(() -> {
                long last = System.nanoTime();
                while (running) {
                    long now = System.nanoTime();
                    var d = degraded.report(Probe.READINESS);
                    defaultDownSeen |= !d.isUp();
                    if (d.degraded()) {
                        degradedNanos += now - last;
                    }
                    if (!required.report(Probe.READINESS).isUp()) {
                        requiredDownNanos += now - last;
                    }
                    last = now;
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        /** Asserts the policy held and both came back; returns the figures as text. */
        String verify() throws InterruptedException {
            await().atMost(Duration.ofSeconds(20)).until(() -> required.report(Probe.READINESS).isUp()
                    && !degraded.report(Probe.READINESS).degraded());
            running = false;
            sampler.join(5000);
            assertThat(defaultDownSeen).as("degraded by default: readiness stays UP through the failover").isFalse();
            assertThat(degradedNanos).as("the degraded check showed the outage").isPositive();
            assertThat(requiredDownNanos).as("required: readiness DOWN while sessions cannot be served").isPositive();
            return String.format(java.util.Locale.ROOT, "readiness: default UP throughout, degraded %.2f s;"
                    + " required DOWN %.2f s", degradedNanos / 1e9, requiredDownNanos / 1e9);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sampler.join(5000);
            degraded.close();
            required.close();
        }
    }

    /** Counts the writes fewer replicas confirmed than wait-replicas asked. */
    static final class Unconfirmed implements dev.readiness.sessions.SessionEvents {
        final java.util.Map<String, java.util.concurrent.atomic.LongAdder> counts =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void unconfirmed(String reason) {
            counts.computeIfAbsent(reason, r -> new java.util.concurrent.atomic.LongAdder()).increment();
        }

        long get(String reason) {
            var c = counts.get(reason);
            return c == null ? 0 : c.sum();
        }

        @Override
        public String toString() {
            return new java.util.TreeMap<>(counts).toString();
        }
    }

    /** One second of load with nothing failing: the topology is formed and the store serves. */
    static void warmUp(SessionLoad load) throws InterruptedException {
        Thread.sleep(1000);
        assertThat(load.sessions(id -> true)).allSatisfy(i -> assertThat(load.failedSinceEvent(i)).isFalse());
    }

    /** The master holding most of the load's sessions. */
    static RedisServer busiest(RedisCluster cluster, SessionLoad load) {
        java.util.Map<RedisServer, Integer> counts = new java.util.HashMap<>();
        for (String id : load.ids()) {
            counts.merge(owner(cluster, id), 1, Integer::sum);
        }
        return counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static RedisServer owner(RedisCluster cluster, String id) {
        try {
            return cluster.masterOf(slotOf(id));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int slotOf(String id) {
        return RedisCluster.slot(SessionIds.key("readiness:session:", id));
    }
}
