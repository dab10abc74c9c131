package dev.readiness.sessions.redis;

import dev.readiness.testkit.FreePorts;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisKilledIT {

    @Test
    void aKilledRedisFailsFastAndTheStoreRecoversWhenRedisIsBackOnTheSamePort() throws Exception {
        RedisServer redis = RedisServer.start();
        int port = redis.port();
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).commandTimeout(Duration.ofSeconds(1)).build();
        try (RedisSessionStore store = RedisSessionStore.create(settings)) {
            String id = new SessionIds().next();
            store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("a", 1), Set.of()));
            redis.kill();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(5), Map.of("a", 2), Set.of())))
                    .isInstanceOf(SessionStoreUnavailableException.class);
            assertThatThrownBy(() -> store.load(id)).isInstanceOf(SessionStoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(store.readinessCheck().check(Duration.ofMillis(500)).isUp()).as("readiness after kill").isFalse();

            try (RedisServer again = RedisServer.start(port)) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> store.readinessCheck().check(Duration.ofSeconds(1)).isUp());
                // The data died with the process: the session is gone, not half there.
                assertThat(store.load(id)).isEmpty();
            }
        } finally {
            redis.close();
        }
    }

    @Test
    void aStoreCreatedWhileRedisIsDownStartsAndReportsNotReady() throws Exception {
        int port = FreePorts.next();
        SessionSettings settings = SessionSettings.builder().redisUri("redis://127.0.0.1:" + port)
                .commandTimeout(Duration.ofSeconds(2)).build();
        try (RedisSessionStore store = RedisSessionStore.create(settings)) {
            assertThatThrownBy(() -> store.load(new SessionIds().next())).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
            // The next requests do not each try to connect: they fail at once with the last attempt's reason.
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.load(new SessionIds().next())).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("reconnect-max-delay");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
            try (RedisServer redis = RedisServer.start(port)) {
                long started = System.nanoTime();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                        .ignoreExceptionsInstanceOf(SessionStoreUnavailableException.class)
                        .until(() -> store.load(new SessionIds().next()).isEmpty());
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as("tried again within reconnect-max-delay (1 s) of the last attempt")
                        .isLessThan(Duration.ofMillis(1_500));
                assertThat(store.readinessCheck().check(Duration.ofSeconds(1)).isUp()).isTrue();
            }
        }
    }
}
