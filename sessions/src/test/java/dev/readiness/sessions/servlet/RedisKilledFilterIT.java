package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKilledFilterIT {

    @Test
    void requestsNeedingTheSessionGet503FastWhenRedisIsKilledMidRunAndReadinessGoesDown() throws Exception {
        RedisServer redis = RedisServer.start();
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).commandTimeout(Duration.ofSeconds(1)).build();
        try (RedisSessionStore store = RedisSessionStore.create(settings);
             TestApp app = new TestApp(new SessionFilter(store, settings))) {
            Browser b = new Browser();
            for (int i = 1; i <= 5; i++) {
                assertThat(b.get(app.base() + "/counter").body()).isEqualTo(Integer.toString(i));
            }
            redis.kill();
            for (int i = 0; i < 3; i++) {
                Browser.Reply r = b.get(app.base() + "/counter");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.took()).isLessThan(Duration.ofSeconds(10));
            }
            assertThat(new Browser().get(app.base() + "/counter").status()).as("new sessions cannot be saved either")
                    .isEqualTo(503);
            assertThat(b.get(app.base() + "/plain").status()).isEqualTo(200);
            assertThat(store.readinessCheck().check(Duration.ofMillis(500)).isUp()).isFalse();
        } finally {
            redis.close();
        }
    }
}
