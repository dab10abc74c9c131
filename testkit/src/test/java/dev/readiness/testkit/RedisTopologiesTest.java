package dev.readiness.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The replicated cluster and the Sentinel set are really formed, really fail over, and a slot really moves. */
class RedisTopologiesTest {

    @Test
    void aClusterMasterKilledIsReplacedByItsReplicaAndASlotMovesWithItsKeys() throws Exception {
        try (RedisCluster cluster = RedisCluster.startWithReplicas()) {
            assertThat(cluster.all()).hasSize(6);
            RedisServer m0 = cluster.nodes().get(0);
            RedisServer m1 = cluster.nodes().get(1);
            assertThat(cluster.replicas().get(0).command("ROLE")).startsWith("slave");
            String key = "k{a}";
            int slot = RedisCluster.slot(key);
            assertThat(slot).isEqualTo(Integer.parseInt(m0.command("CLUSTER", "KEYSLOT", key).substring(1)));
            RedisServer owner = cluster.masterOf(slot);
            assertThat(owner.command("SET", key, "v")).isEqualTo("+OK");
            RedisServer target = owner == m1 ? m0 : m1;
            assertThat(cluster.moveSlot(slot, owner, target, 10)).isEqualTo(1);
            assertThat(cluster.masterOf(slot)).isSameAs(target);
            assertThat(target.command("GET", key)).isEqualTo("v");
            assertThat(owner.command("GET", key)).startsWith("-MOVED " + slot);

            RedisServer victim = cluster.masterOf(0);
            RedisServer replica = cluster.replicas().get(cluster.nodes().indexOf(victim));
            victim.kill();
            long t0 = System.nanoTime();
            cluster.awaitHealthy(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("promoted after the node timeout")
                    .isGreaterThanOrEqualTo(RedisCluster.FAILOVER_NODE_TIMEOUT);
            assertThat(cluster.masterOf(0)).isSameAs(replica);
            assertThat(replica.command("ROLE")).startsWith("master");
        }
    }

    @Test
    void sentinelsAgreeOnTheMasterAndPromoteTheReplicaWhenItIsKilled() throws Exception {
        try (RedisSentinels set = RedisSentinels.start()) {
            assertThat(set.masterPort()).isEqualTo(set.master().port());
            assertThat(set.master().command("SET", "x", "1")).isEqualTo("+OK");
            set.master().kill();
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(20).toNanos();
            while (set.masterPort() != set.replica().port() && System.nanoTime() < deadline) {
                Thread.sleep(100); // the Sentinels' own timers decide when; nothing to wait on but their answer
            }
            assertThat(set.masterPort()).isEqualTo(set.replica().port());
            assertThat(set.replica().command("ROLE")).startsWith("master");
            assertThat(set.replica().command("GET", "x")).isEqualTo("1");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }
    }
}
