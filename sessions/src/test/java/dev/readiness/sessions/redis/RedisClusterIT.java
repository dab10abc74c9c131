package dev.readiness.sessions.redis;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.testkit.RedisCluster;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClusterIT {

    @Test
    void sessionsSpreadOverThreeMastersAndSaveLoadAndRotateWorkOnEach() throws Exception {
        try (RedisCluster cluster = RedisCluster.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(cluster.uris()).cluster(true)
                    .commandTimeout(Duration.ofSeconds(2)).build();
            SessionIds ids = new SessionIds();
            try (RedisSessionStore store = RedisSessionStore.create(settings)) {
                for (int i = 0; i < 30; i++) {
                    String id = ids.next();
                    store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("n", i), Set.of()));
                    StoredSession s = store.load(id).orElseThrow();
                    assertThat(s.attributes()).containsEntry("n", i);
                    String rotated = ids.rotate(id);
                    SaveResult r = store.rotate(id, new SessionWrite(rotated, s, s.creationTime(), s.maxInactive(),
                            Map.of("n", i, "login", true), Set.of()));
                    assertThat(r.saved()).isTrue();
                    assertThat(store.load(id)).isEmpty();
                    assertThat(store.load(rotated).orElseThrow().attributes()).containsEntry("login", true);
                }
                Set<Integer> nodesWithKeys = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    RedisServer node = cluster.nodes().get(i);
                    if (!node.command("DBSIZE").equals(":0")) {
                        nodesWithKeys.add(i);
                    }
                }
                assertThat(nodesWithKeys).as("30 random sessions land on every master").hasSize(3);
                assertThat(store.readinessCheck().check(Duration.ofSeconds(2)).isUp()).isTrue();
            }
        }
    }
}
