package dev.readiness.sessions.servlet;

import dev.readiness.sessions.CommandStats;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter with the near cache on: what a request costs in Redis commands, counted by Redis. */
class NearCacheFilterIT {

    @Test
    void aReadOnlyRequestMakesNoRedisCallAndAWriteIsOneScript() throws Exception {
        AtomicInteger lastRequestCommands = new AtomicInteger(-1);
        SessionEvents events = new SessionEvents() {
            @Override
            public void requestCompleted(int commands) {
                lastRequestCommands.set(commands);
            }
        };
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).nearCache(true).build();
            try (RedisSessionStore store = RedisSessionStore.create(settings, settings.createCodec(), events);
                 TestApp app = new TestApp(new SessionFilter(store, settings, events))) {
                Browser b = new Browser();
                assertThat(b.get(app.base() + "/counter").body()).isEqualTo("1");
                // The first load turns tracking on; until Redis confirms it, loads read Redis.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    b.get(app.base() + "/read");
                    return lastRequestCommands.get() == 0;
                });

                CommandStats.reset(redis);
                for (int i = 0; i < 5; i++) {
                    assertThat(b.get(app.base() + "/read").body()).isEqualTo("1");
                    assertThat(lastRequestCommands.get()).isZero();
                }
                assertThat(CommandStats.read(redis)).isEmpty();

                assertThat(b.get(app.base() + "/counter").body()).isEqualTo("2");
                assertThat(lastRequestCommands.get()).as("the script only; the load came from the near cache")
                        .isEqualTo(1);
                Map<String, Long> calls = CommandStats.read(redis);
                assertThat(calls).doesNotContainKey("hgetall").containsEntry("evalsha", 1L);
                assertThat(b.get(app.base() + "/read").body()).isEqualTo("2");
            }
        }
    }
}
