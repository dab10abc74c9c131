package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.testkit.FreePorts;
import dev.readiness.core.check.CheckResult;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The session store starts connecting to a real redis-server as it is created, before any request or readiness
 * check asks it to, and a Redis that is not there does not stop anything.
 */
class SessionStoreBackgroundConnectIT {

    private static SessionSettings settings(String uri) {
        return SessionSettings.builder().redisUri(uri).commandTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void theStoreConnectsAndPingsRedisBeforeAnythingUsesIt() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RedisSessionStore store = RedisSessionStore.create(settings(redis.uri()))) {
            long pings = redis.commandStats().getOrDefault("ping", 0L); // the server's own start-up wait pings
            assertThat(redis.command("CLIENT", "LIST")).as("nothing but this call is connected").doesNotContain("\nid=");

            ReadinessSessionsAutoConfiguration.connectInBackground(store, Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(redis.commandStats()).containsEntry("ping", pings + 1));
            assertThat(store.readinessCheck().check(Duration.ofSeconds(2)).isUp()).isTrue();
        }
    }

    @Test
    void aRedisThatIsNotThereLeavesTheStoreToItsReadinessCheck() throws Exception {
        String nobody = "redis://127.0.0.1:" + FreePorts.next();
        try (RedisSessionStore store = RedisSessionStore.create(settings(nobody))) {
            ReadinessSessionsAutoConfiguration.connectInBackground(store, Duration.ofSeconds(2));

            await().atMost(Duration.ofSeconds(30)).until(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("readiness-sessions-connect")));
            CheckResult r = store.readinessCheck().check(Duration.ofSeconds(2));
            assertThat(r.isUp()).isFalse();
            assertThat(r.message()).contains("127.0.0.1");
        }
    }
}
