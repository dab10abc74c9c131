package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.testkit.RedisCluster;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** readiness.sessions.redis.wait-replicas against real masters and replicas. */
class WaitReplicasIT {

    @Test
    void aSaveReturnsOnlyOnceTheReplicaHoldsIt() throws Exception {
        try (RedisServer master = RedisServer.start();
             RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
            awaitLinkUp(replica);
            SessionSettings settings = SessionSettings.builder().redisUri(master.uri()).waitReplicas(1)
                    .waitTimeout(Duration.ofMillis(500)).build();
            FailoverIT.Unconfirmed unconfirmed = new FailoverIT.Unconfirmed();
            SessionIds ids = new SessionIds();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed)) {
                for (int i = 0; i < 20; i++) {
                    String id = ids.next();
                    var r = store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("n", i), Set.of()));
                    assertThat(r.saved()).isTrue();
                    // the first save's EVALSHA meets NOSCRIPT on a fresh Redis: EVAL, and its WAIT, follow
                    assertThat(r.commands()).as("the script and its WAIT").isEqualTo(i == 0 ? 4 : 2);
                    // WAIT confirmed it: the replica has the key the moment save returns, not "soon"
                    assertThat(replica.command("EXISTS", SessionIds.key("readiness:session:", id))).isEqualTo(":1");
                }
            }
            assertThat(master.commandStats()).containsEntry("wait", 21L); // 20 and the first one's after NOSCRIPT
            assertThat(unconfirmed.toString()).isEqualTo("{}");
        }
    }

    @Test
    void aSaveNoReplicaConfirmsIsAppliedCountedAndLoggedOnceAndTheNextOnesDoNotWaitEachTime() throws Exception {
        try (RedisServer master = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(master.uri()).waitReplicas(1)
                    .waitTimeout(Duration.ofMillis(200)).reconnectMaxDelay(Duration.ofSeconds(1)).build();
            FailoverIT.Unconfirmed unconfirmed = new FailoverIT.Unconfirmed();
            SessionIds ids = new SessionIds();
            PrintStream err = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed)) {
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                for (int i = 0; i < 30; i++) {
                    String id = ids.next();
                    assertThat(store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("n", i),
                            Set.of())).saved()).as("applied and answered, though unconfirmed").isTrue();
                    assertThat(store.load(id).orElseThrow().attributes()).containsEntry("n", i);
                }
            } finally {
                System.setErr(err);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long waits = master.commandStats().getOrDefault("wait", 0L);
            // the first save sends two (its EVALSHA met NOSCRIPT); then a pause of reconnect-max-delay between WAITs
            assertThat(waits).as("WAITs in %.2f s", seconds).isBetween(2L, 2L + (long) seconds);
            assertThat(unconfirmed.get("short")).isEqualTo(waits - 1);
            assertThat(seconds).as("30 saves did not each wait 200 ms").isLessThan(30 * 0.2);
            assertThat(unconfirmed.get("short") + unconfirmed.get("skipped")).isEqualTo(30);
            String text = log.toString(StandardCharsets.UTF_8);
            assertThat(text.lines().filter(l -> l.contains("readiness.sessions.redis.wait-replicas=1")).count())
                    .as(text).isEqualTo(1);
            assertThat(text).contains("0 of 1 replicas confirmed it within 200 ms");
        }
    }

    @Test
    void concurrentSavesShareWaitsSoALostReplicaHoldsTheConnectionForTwoWaitTimeoutsNotOnePerSave() throws Exception {
        try (RedisServer master = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(master.uri()).waitReplicas(1)
                    .waitTimeout(Duration.ofMillis(300)).commandTimeout(Duration.ofSeconds(2)).build();
            SessionIds ids = new SessionIds();
            try (RedisSessionStore warm = RedisSessionStore.create(settings)) {
                warm.save(new SessionWrite(ids.next(), null, 0, Duration.ofMinutes(5), Map.of("n", 0), Set.of()));
            }
            long waitsBefore = master.commandStats().getOrDefault("wait", 0L);
            int threads = 16;
            FailoverIT.Unconfirmed unconfirmed = new FailoverIT.Unconfirmed();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed)) {
                store.load(ids.next()); // connected, so the saves start together
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                try {
                    List<java.util.concurrent.Future<Boolean>> saves = new java.util.ArrayList<>();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < threads; i++) {
                        String id = ids.next();
                        saves.add(pool.submit(() -> {
                            start.await();
                            return store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("n", 1),
                                    Set.of())).saved();
                        }));
                    }
                    for (var f : saves) {
                        assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long waits = master.commandStats().getOrDefault("wait", 0L) - waitsBefore;
                    System.out.printf(java.util.Locale.ROOT, "WAIT %d concurrent saves, no replica: %.2f s, %d WAITs%n",
                            threads, seconds, waits);
                    assertThat(waits).as("one WAIT on the wire and one shared by the saves sent meanwhile")
                            .isLessThanOrEqualTo(2);
                    // one WAIT per save would have held the connection 16 x 300 ms, past the command timeout
                    assertThat(seconds).isLessThan(threads * 0.3 / 2);
                    assertThat(unconfirmed.get("short") + unconfirmed.get("skipped")).isEqualTo(threads);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void inAClusterEachWaitGoesToTheMasterThatTookTheWrite() throws Exception {
        try (RedisCluster cluster = RedisCluster.startWithReplicas()) {
            SessionSettings settings = SessionSettings.builder().redisUri(cluster.uris()).cluster(true).waitReplicas(1)
                    .waitTimeout(Duration.ofMillis(500)).build();
            FailoverIT.Unconfirmed unconfirmed = new FailoverIT.Unconfirmed();
            SessionIds ids = new SessionIds();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), unconfirmed)) {
                for (int i = 0; i < 30; i++) {
                    String id = ids.next();
                    assertThat(store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("n", i),
                            Set.of())).saved()).isTrue();
                    RedisServer master = cluster.masterOf(FailoverIT.slotOf(id));
                    RedisServer replica = cluster.replicas().get(cluster.nodes().indexOf(master));
                    // WAIT confirmed it: the replica holds as many keys as its master the moment save returns
                    String onReplica = replica.command("DBSIZE");
                    String onMaster = master.command("DBSIZE");
                    if (!onReplica.equals(onMaster)) {
                        assertThat(onReplica).as("save %d on %d, unconfirmed %s; master: %s%nclients: %s%nreplica: %s",
                                i, master.port(), unconfirmed, master.command("INFO", "replication"),
                                master.command("CLIENT", "LIST"), replica.command("INFO", "replication"))
                                .isEqualTo(onMaster);
                    }
                }
            }
            long writes = 0;
            for (RedisServer m : cluster.nodes()) {
                Map<String, Long> stats = m.commandStats();
                long scripts = stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L);
                assertThat(stats.getOrDefault("wait", 0L)).as("WAITs on %s", m.port()).isEqualTo(scripts);
                writes += scripts;
            }
            // 30 saves, and on each master at most one EVALSHA that met NOSCRIPT before its EVAL
            assertThat(writes).isBetween(30L, 33L);
            assertThat(unconfirmed.toString()).isEqualTo("{}");
        }
    }

    static void awaitLinkUp(RedisServer replica) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!replica.command("INFO", "replication").contains("master_link_status:up")) {
            assertThat(System.nanoTime() - deadline).as("replica in sync within 20 s").isNegative();
            Thread.sleep(50);
        }
    }
}
