package dev.readiness.sessions.redis;

import dev.readiness.sessions.CommandStats;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.testkit.RedisServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache against a real redis-server: two store instances stand for two pods sharing sessions. After
 * another instance's write, a readiness check (a PING on the store's own connection) is the barrier: Redis sends
 * the invalidation ahead of the PING's reply, so once the check returns the next load must see the change.
 */
class NearCacheIT {

    static RedisServer redis;
    static final SessionIds ids = new SessionIds();
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    RedisSessionStore a;
    RedisSessionStore b;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void start() throws Exception {
        redis.command("FLUSHALL");
        a = serving(store(redis.uri(), true));
        b = serving(store(redis.uri(), true));
        events.clear();
        CommandStats.reset(redis);
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
    }

    RedisSessionStore store(String uri, boolean nearCache) {
        SessionSettings s = SessionSettings.builder().redisUri(uri).commandTimeout(Duration.ofSeconds(2))
                .nearCache(nearCache).build();
        return RedisSessionStore.create(s, s.createCodec(), new SessionEvents() {
            @Override
            public void nearCache(String event) {
                events.add(event);
            }
        });
    }

    /** The first load turns tracking on; wait for its confirmation so the tests do not race it. */
    static RedisSessionStore serving(RedisSessionStore store) {
        store.load(ids.next());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(store::nearCacheServing);
        return store;
    }

    static void barrier(RedisSessionStore store) throws Exception {
        assertThat(store.readinessCheck().check(Duration.ofSeconds(2)).isUp()).isTrue();
    }

    static String create(RedisSessionStore store, Map<String, Object> attributes) {
        String id = ids.next();
        assertThat(store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(30), attributes, Set.of())).saved()).isTrue();
        return id;
    }

    static SaveResult update(RedisSessionStore store, StoredSession base, Map<String, Object> changed, Set<String> removed) {
        return store.save(new SessionWrite(base.id(), base, base.creationTime(), base.maxInactive(), changed, removed));
    }

    @Test
    void anUnchangedSessionIsReadWithoutARoundTrip() throws Exception {
        String id = create(a, Map.of("user", "ada"));
        CommandStats.reset(redis);
        for (int i = 0; i < 5; i++) {
            StoredSession s = a.load(id).orElseThrow();
            assertThat(s.cached()).isTrue();
            assertThat(s.attributes()).containsEntry("user", "ada");
        }
        assertThat(CommandStats.read(redis)).doesNotContainKey("hgetall");
        assertThat(events).containsOnly("hit").hasSize(5);
    }

    @Test
    void aChangeMadeByAnotherInstanceIsSeenOnTheNextLoad() throws Exception {
        String id = create(a, Map.of("cart", 1));
        assertThat(a.load(id).orElseThrow().cached()).isTrue();
        StoredSession seenByB = b.load(id).orElseThrow();
        update(b, seenByB, Map.of("cart", 2, "user", "grace"), Set.of());
        barrier(a);
        StoredSession s = a.load(id).orElseThrow();
        assertThat(s.cached()).as("read again from Redis").isFalse();
        assertThat(s.attributes()).containsEntry("cart", 2).containsEntry("user", "grace");
        assertThat(events).contains("invalidation");
        StoredSession again = a.load(id).orElseThrow();
        assertThat(again.cached()).as("and cached again").isTrue();
        assertThat(again.attributes()).containsEntry("cart", 2);
    }

    @Test
    void aLogoutOnAnotherInstanceIsSeenOnTheNextLoad() throws Exception {
        String id = create(a, Map.of("user", "ada"));
        assertThat(a.load(id)).isPresent();
        b.delete(id);
        barrier(a);
        assertThat(a.load(id)).isEmpty();
    }

    @Test
    void aSessionThatExpiresInRedisIsNotServedFromTheCache() throws Exception {
        String id = create(a, Map.of("user", "ada"));
        assertThat(a.load(id).orElseThrow().cached()).isTrue();
        String key = SessionIds.key("readiness:session:", id);
        redis.command("PEXPIRE", key, "1");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> redis.command("EXISTS", key).equals(":0"));
        barrier(a);
        assertThat(a.load(id)).isEmpty();
    }

    @Test
    void thisInstancesOwnWritesKeepTheCacheCurrentAndReachRedis() throws Exception {
        String id = create(a, Map.of("count", 1, "old", "x"));
        StoredSession s = a.load(id).orElseThrow();
        assertThat(update(a, s, Map.of("count", 2), Set.of("old")).saved()).isTrue();
        CommandStats.reset(redis);
        StoredSession cached = a.load(id).orElseThrow();
        assertThat(cached.cached()).isTrue();
        assertThat(cached.attributes()).containsEntry("count", 2).doesNotContainKey("old");
        assertThat(CommandStats.read(redis)).doesNotContainKey("hgetall");
        try (RedisSessionStore plain = store(redis.uri(), false)) {
            StoredSession fromRedis = plain.load(id).orElseThrow();
            assertThat(fromRedis.cached()).isFalse();
            assertThat(fromRedis.attributes()).isEqualTo(cached.attributes());
            assertThat(fromRedis.lastAccessTime()).isEqualTo(cached.lastAccessTime());
        }
        // Still tracked after its own write: a change elsewhere is still heard of.
        update(b, b.load(id).orElseThrow(), Map.of("count", 3), Set.of());
        barrier(a);
        assertThat(a.load(id).orElseThrow().attributes()).containsEntry("count", 3);
    }

    @Test
    void concurrentWritersOnTwoInstancesAllPersistAndBothCachesEndCurrent() throws Exception {
        String id = create(a, Map.of("shared", "initial"));
        int writers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                RedisSessionStore store = n % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int round = 0; round < 10; round++) {
                        StoredSession s = store.load(id).orElseThrow();
                        assertThat(update(store, s, Map.of("writer-" + n, round, "shared", "from-" + n), Set.of())
                                .saved()).isTrue();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        barrier(a);
        barrier(b);
        Map<String, Object> inA = a.load(id).orElseThrow().attributes();
        Map<String, Object> inB = b.load(id).orElseThrow().attributes();
        try (RedisSessionStore plain = store(redis.uri(), false)) {
            Map<String, Object> inRedis = plain.load(id).orElseThrow().attributes();
            for (int i = 0; i < writers; i++) {
                assertThat(inRedis).containsEntry("writer-" + i, 9);
            }
            assertThat(inA).isEqualTo(inRedis);
            assertThat(inB).isEqualTo(inRedis);
        }
    }

    @Test
    void aRotatedSessionIsServedUnderItsNewIdOnlyAndTheOldIdIsDeadEverywhere() throws Exception {
        String oldId = create(a, Map.of("user", "ada"));
        assertThat(b.load(oldId)).isPresent();
        StoredSession s = a.load(oldId).orElseThrow();
        String newId = ids.rotate(oldId);
        a.rotate(oldId, new SessionWrite(newId, s, s.creationTime(), s.maxInactive(), Map.of("user", "ada",
                "role", "admin"), Set.of()));
        barrier(b);
        assertThat(a.load(oldId)).isEmpty();
        assertThat(b.load(oldId)).isEmpty();
        assertThat(b.load(newId).orElseThrow().attributes()).containsEntry("role", "admin");
    }

    @Test
    void aFlushOfRedisEmptiesTheCache() throws Exception {
        String id = create(a, Map.of("user", "ada"));
        assertThat(a.load(id)).isPresent();
        redis.command("FLUSHALL");
        barrier(a);
        assertThat(a.load(id)).isEmpty();
        assertThat(events).contains("flush");
    }

    @Test
    void aDroppedConnectionEmptiesTheCacheAndTrackingResumesOnTheNewOne() throws Exception {
        String id = create(a, Map.of("cart", 1));
        assertThat(a.load(id).orElseThrow().cached()).isTrue();
        redis.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !a.nearCacheServing());
        assertThat(a.nearCacheState()).startsWith("NearCache[0 sessions, 0 bytes");
        // Changed while the old connection was gone: nothing would have told the cache.
        b.close();
        b = store(redis.uri(), false);
        update(b, b.load(id).orElseThrow(), Map.of("cart", 2), Set.of());
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> a.load(id).orElseThrow().attributes().get("cart").equals(2));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(a::nearCacheServing);
        assertThat(a.load(id).orElseThrow().attributes()).containsEntry("cart", 2);
        update(b, b.load(id).orElseThrow(), Map.of("cart", 3), Set.of());
        barrier(a);
        assertThat(a.load(id).orElseThrow().attributes()).as("invalidations arrive on the new connection")
                .containsEntry("cart", 3);
    }

    @Test
    void aServerThatRefusesTrackingLeavesTheCacheOffAndEveryLoadReadsRedis() throws Exception {
        redis.command("ACL", "SETUSER", "notrack", "on", ">secret", "~*", "+@all", "-client", "+client|info",
                "+client|setname", "+client|id");
        try {
            try (RedisSessionStore refused = store("redis://notrack:secret@127.0.0.1:" + redis.port(), true)) {
                String id = create(refused, Map.of("user", "ada"));
                assertThat(refused.load(id)).isPresent();
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refused.nearCacheState().equals("refused"));
                CommandStats.reset(redis);
                for (int i = 0; i < 3; i++) {
                    assertThat(refused.load(id).orElseThrow().cached()).isFalse();
                }
                assertThat(CommandStats.read(redis)).containsEntry("hgetall", 3L);
                assertThat(refused.nearCacheServing()).isFalse();
            }
        } finally {
            redis.command("ACL", "DELUSER", "notrack");
        }
    }

    @Test
    void withTheNearCacheOffEveryLoadReadsRedis() throws Exception {
        try (RedisSessionStore plain = store(redis.uri(), false)) {
            String id = create(plain, Map.of("user", "ada"));
            CommandStats.reset(redis);
            for (int i = 0; i < 3; i++) {
                assertThat(plain.load(id).orElseThrow().cached()).isFalse();
            }
            assertThat(CommandStats.read(redis)).containsEntry("hgetall", 3L);
            assertThat(plain.nearCacheState()).isEqualTo("off");
        }
    }
}
