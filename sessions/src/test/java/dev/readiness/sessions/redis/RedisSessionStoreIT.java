package dev.readiness.sessions.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.sessions.CommandStats;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionTooLargeException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.BasicAttributeCodec;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSessionStoreIT {

    static RedisServer redis;
    static RedisSessionStore store;
    static final SessionIds ids = new SessionIds();
    static final AtomicInteger decodeEvents = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        store = RedisSessionStore.create(settings(redis.uri()).build(), new BasicAttributeCodec(), new SessionEvents() {
            @Override
            public void decodeFailed(String attribute, Throwable cause) {
                decodeEvents.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        store.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws Exception {
        redis.command("FLUSHALL");
        CommandStats.reset(redis);
    }

    static SessionSettings.Builder settings(String uri) {
        // Every load reads Redis here, so command counts are exact; NearCacheIT covers the near cache.
        return SessionSettings.builder().redisUri(uri).commandTimeout(Duration.ofSeconds(2)).maxSize(4096).nearCache(false);
    }

    static String create(Map<String, Object> attributes) {
        String id = ids.next();
        SaveResult r = store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(30), attributes, Set.of()));
        assertThat(r.saved()).isTrue();
        return id;
    }

    @Test
    void aSavedSessionLoadsBackWithItsAttributesAndExpiry() throws Exception {
        String id = create(Map.of("user", "ada", "count", 3));
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.attributes()).containsEntry("user", "ada").containsEntry("count", 3);
        assertThat(s.maxInactive()).isEqualTo(Duration.ofMinutes(30));
        long ttl = Long.parseLong(redis.command("PTTL", SessionIds.key("readiness:session:", id)).substring(1));
        assertThat(ttl).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
    }

    @Test
    void loadIsOneCommandAndSaveIsOneScript() throws Exception {
        String id = create(Map.of("a", 1));
        store.load(id); // as after any earlier load: Redis holds both scripts
        CommandStats.reset(redis);
        StoredSession s = store.load(id).orElseThrow();
        SaveResult r = store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("b", 2), Set.of("a")));
        Map<String, Long> calls = CommandStats.read(redis);
        assertThat(r.commands()).isEqualTo(1);
        assertThat(calls).containsEntry("hgetall", 1L).containsEntry("evalsha", 2L).doesNotContainKey("eval");
        assertThat(CommandStats.loads(calls)).isEqualTo(1);
        assertThat(CommandStats.sentByClient(calls)).isEqualTo(2);
        assertThat(store.load(id).orElseThrow().attributes()).containsOnlyKeys("b");
    }

    @Test
    void attributesWithNonAsciiNamesAreWrittenAndRemovedByTheirUtf8Names() {
        String id = create(Map.of("café", "au lait", "名前", "ada", "plain", 1));
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.attributes()).containsOnlyKeys("café", "名前", "plain");
        store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of(), Set.of("café", "名前")));
        assertThat(store.load(id).orElseThrow().attributes()).containsOnlyKeys("plain");
    }

    @Test
    void aMissingOrMalformedIdLoadsNothingAndMalformedIdsNeverReachRedis() throws Exception {
        assertThat(store.load(ids.next())).isEmpty();
        CommandStats.reset(redis);
        for (String bad : List.of("", "short", "x".repeat(27), "{tag}aaaaaaaaaaaaaaaaaaaaa", "aaaa\r\nDEL *aaaaaaaaaaaaaaa",
                "../../../../aaaaaaaaaaaaaaaa")) {
            assertThat(store.load(bad)).isEmpty();
        }
        assertThat(store.load(null)).isEmpty();
        assertThat(CommandStats.read(redis)).doesNotContainKey("hgetall");
    }

    @Test
    void aSaveNeverResurrectsASessionInvalidatedMeanwhile() {
        String id = create(Map.of("a", 1));
        StoredSession loaded = store.load(id).orElseThrow();
        store.delete(id); // logout in a parallel request
        SaveResult r = store.save(new SessionWrite(id, loaded, loaded.creationTime(), loaded.maxInactive(),
                Map.of("cart", "book"), Set.of()));
        assertThat(r.status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void aSaveNeverResurrectsASessionThatExpiredMeanwhile() throws Exception {
        String id = create(Map.of("a", 1));
        StoredSession loaded = store.load(id).orElseThrow();
        redis.command("PEXPIRE", SessionIds.key("readiness:session:", id), "1");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.command("EXISTS", SessionIds.key("readiness:session:", id)).equals(":0"));
        SaveResult r = store.save(new SessionWrite(id, loaded, loaded.creationTime(), loaded.maxInactive(), Map.of(), Set.of()));
        assertThat(r.status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void concurrentWritersOfDifferentAttributesBothPersistAndTheSameAttributeIsLastWriterWins() throws Exception {
        String id = create(Map.of("shared", "initial"));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch loaded = new CountDownLatch(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    StoredSession s = store.load(id).orElseThrow(); // every writer starts from the same state
                    loaded.countDown();
                    loaded.await();
                    return store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(),
                            Map.of("writer-" + n, n, "shared", "from-" + n), Set.of()));
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> attrs = store.load(id).orElseThrow().attributes();
        for (int i = 0; i < writers; i++) {
            assertThat(attrs).containsEntry("writer-" + i, i);
        }
        assertThat((String) attrs.get("shared")).startsWith("from-");
    }

    @Test
    void rotationMovesTheSessionAtomicallyAndKillsTheOldId() throws Exception {
        String oldId = create(Map.of("user", "ada"));
        StoredSession s = store.load(oldId).orElseThrow();
        String newId = ids.rotate(oldId);
        redis.command("SCRIPT", "LOAD", Script.ROTATE.body()); // as after any earlier rotation
        CommandStats.reset(redis);
        SaveResult r = store.rotate(oldId, new SessionWrite(newId, s, s.creationTime(), s.maxInactive(),
                Map.of("user", "ada", "role", "admin"), Set.of()));
        assertThat(r.commands()).isEqualTo(1);
        assertThat(CommandStats.sentByClient(CommandStats.read(redis))).isEqualTo(1);
        assertThat(store.load(oldId)).isEmpty();
        StoredSession moved = store.load(newId).orElseThrow();
        assertThat(moved.attributes()).containsEntry("user", "ada").containsEntry("role", "admin");
        assertThat(moved.creationTime()).isEqualTo(s.creationTime());
    }

    @Test
    void rotationSucceedsWhenTheOldKeyExpiredInBetween() throws Exception {
        String oldId = create(Map.of("user", "ada"));
        StoredSession s = store.load(oldId).orElseThrow();
        redis.command("DEL", SessionIds.key("readiness:session:", oldId)); // expired between the load and the login
        String newId = ids.rotate(oldId);
        SaveResult r = store.rotate(oldId, new SessionWrite(newId, s, s.creationTime(), s.maxInactive(),
                Map.of("user", "grace"), Set.of()));
        assertThat(r.saved()).isTrue();
        assertThat(store.load(newId).orElseThrow().attributes()).containsEntry("user", "grace");
    }

    @Test
    void anUndecodableAttributeIsDroppedCountedAndRemovedAtTheNextSaveWhileTheRestSurvives() throws Exception {
        String id = create(Map.of("good", "kept"));
        String key = SessionIds.key("readiness:session:", id);
        redis.command("HSET", key, "a:broken", "\u0001Zgarbage-after-a-boolean");
        long before = store.decodeFailures();
        int eventsBefore = decodeEvents.get();
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.attributes()).containsOnlyKeys("good");
        assertThat(s.undecodable()).containsExactly("broken");
        assertThat(store.decodeFailures()).isEqualTo(before + 1);
        assertThat(decodeEvents.get()).isEqualTo(eventsBefore + 1);
        store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("other", 1), Set.of()));
        assertThat(redis.command("HEXISTS", key, "a:broken")).isEqualTo(":0");
    }

    @Test
    void damagedMetadataMakesTheSessionAbsentNotAnError() throws Exception {
        String id = create(Map.of("a", 1));
        redis.command("HSET", SessionIds.key("readiness:session:", id), "#i", "not-a-number");
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void aSessionOverTheSizeLimitIsRefusedWithTheLimitNamedAndNothingIsWritten() throws Exception {
        String id = create(Map.of("a", 1));
        StoredSession s = store.load(id).orElseThrow();
        assertThatThrownBy(() -> store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(),
                Map.of("big", "x".repeat(5000)), Set.of())))
                .isInstanceOf(SessionTooLargeException.class)
                .hasMessageContaining("readiness.sessions.max-size=4096").hasMessageContaining("big");
        assertThat(store.load(id).orElseThrow().attributes()).containsOnlyKeys("a");
    }

    @Test
    void aPausedRedisFailsCommandsWithinTheTimeoutAndTheCheckGoesDown() throws Exception {
        String id = create(Map.of("a", 1));
        redis.pause();
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("command-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // The check answers DOWN itself: an exception escaping it would fail this test, not pass as DOWN.
            CheckResult check = store.readinessCheck().check(Duration.ofMillis(300));
            assertThat(check.status()).isEqualTo(Status.DOWN);
        } finally {
            redis.resume();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> store.load(id).isPresent());
        assertThat(store.readinessCheck().check(Duration.ofSeconds(2)).isUp()).isTrue();
    }

    @Test
    void aHungRedisCostsOneRequestPerReconnectDelayACommandTimeoutTheOthersFailAtOnce() throws Exception {
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri())
                .commandTimeout(Duration.ofMillis(300)).reconnectMaxDelay(Duration.ofSeconds(1)).build();
        try (RedisSessionStore hung = RedisSessionStore.create(settings)) {
            String id = new SessionIds().next();
            assertThat(hung.load(id)).isEmpty();
            redis.pause();
            try {
                for (int i = 0; i < 2; i++) {
                    long t0 = System.nanoTime();
                    assertThatThrownBy(() -> hung.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                            .hasMessageContaining("did not answer within");
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
                }
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    assertThatThrownBy(() -> hung.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                            .hasMessageContaining("failed at once").hasMessageContaining("2 commands in a row");
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no command timeout waited")
                            .isLessThan(Duration.ofMillis(100));
                }
            } finally {
                redis.resume();
            }
            // the readiness check's PING, answered, ends the fast failures at once
            assertThat(hung.readinessCheck().check(Duration.ofSeconds(2)).isUp()).isTrue();
            assertThat(hung.load(id)).isEmpty();
        }
    }
}
