package dev.readiness.sessions.redis;

import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.BasicAttributeCodec;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The save, rotate and invalidate scripts against a real redis-server, one test per conflict two instances (or two
 * releases) can get into over one session: a write based on an older version, a save or a create after a logout,
 * a rotation racing a save, a version field missing or damaged, and the earlier release's save script
 * ({@code earlier-release/save.lua}, as it shipped) interleaved with this one's.
 */
class SessionConflictsIT {

    static final String PREFIX = "readiness:session:";
    static RedisServer redis;
    static RedisSessionStore store;
    static RedisClient client;
    static StatefulRedisConnection<byte[], byte[]> raw;
    static final SessionIds ids = new SessionIds();
    static final BasicAttributeCodec codec = new BasicAttributeCodec();
    static final Duration TTL = Duration.ofMinutes(30);

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        store = RedisSessionStore.create(SessionSettings.builder().redisUri(redis.uri())
                .commandTimeout(Duration.ofSeconds(2)).nearCache(false).build(), codec, SessionEvents.NONE);
        client = RedisClient.create(redis.uri());
        raw = client.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stop() {
        raw.close();
        client.shutdown();
        store.close();
        redis.close();
    }

    @BeforeEach
    void flush() throws Exception {
        redis.command("FLUSHALL");
    }

    static String create(Map<String, Object> attributes) {
        String id = ids.next();
        SaveResult r = store.save(new SessionWrite(id, null, 1_000, TTL, attributes, Set.of()));
        assertThat(r.saved()).isTrue();
        assertThat(r.version()).isEqualTo(1);
        return id;
    }

    static SaveResult set(StoredSession base, Map<String, Object> changed) {
        return store.save(new SessionWrite(base.id(), base, base.creationTime(), base.maxInactive(), changed, Set.of()));
    }

    static String key(String id) {
        return SessionIds.key(PREFIX, id);
    }

    @Test
    void twoWritersFromOneVersionKeepBothOfTheirAttributes() {
        String id = create(Map.of("cart", "empty", "user", "ada"));
        StoredSession a = store.load(id).orElseThrow();
        StoredSession b = store.load(id).orElseThrow();
        assertThat(set(a, Map.of("cart", "1 book")).version()).isEqualTo(2);
        // b's base is older than what Redis holds now; it changes another attribute, which is all it writes.
        assertThat(set(b, Map.of("theme", "dark")).version()).isEqualTo(3);
        StoredSession now = store.load(id).orElseThrow();
        assertThat(now.attributes()).containsEntry("cart", "1 book").containsEntry("theme", "dark")
                .containsEntry("user", "ada");
        assertThat(now.version()).isEqualTo(3);
    }

    @Test
    void aSaveAfterALogoutIsRefusedAndTheTombstoneStays() throws Exception {
        String id = create(Map.of("user", "ada"));
        StoredSession before = store.load(id).orElseThrow();
        store.delete(id);
        assertThat(set(before, Map.of("cart", "1 book")).status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.load(id)).isEmpty();
        assertThat(redis.command("HEXISTS", key(id), "a:user")).isEqualTo(":0");
        assertThat(redis.command("HEXISTS", key(id), "#x")).isEqualTo(":1");
        long ttl = Long.parseLong(redis.command("PTTL", key(id)).substring(1));
        assertThat(ttl).isGreaterThan(TTL.toMillis() - 60_000).isLessThanOrEqualTo(TTL.toMillis());
    }

    @Test
    void aCreateOfALoggedOutIdIsRefused() {
        // What a mirror-mode instance tries with its container's copy when Redis lacks the session.
        String id = create(Map.of("user", "ada"));
        store.delete(id);
        SaveResult r = store.save(new SessionWrite(id, null, 1_000, TTL, Map.of("user", "ada"), Set.of()));
        assertThat(r.status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void aLogoutOfAnIdRedisNeverHeldStillLeavesATombstone() {
        // Made on a mirror-mode instance while its copy had not reached Redis yet.
        String id = ids.next();
        store.delete(id);
        assertThat(store.save(new SessionWrite(id, null, 1_000, TTL, Map.of("user", "ada"), Set.of())).saved())
                .isFalse();
    }

    @Test
    void aRotationRacingASaveKeepsTheSave() {
        String oldId = create(Map.of("user", "ada"));
        StoredSession loggingIn = store.load(oldId).orElseThrow();
        StoredSession other = store.load(oldId).orElseThrow();
        assertThat(set(other, Map.of("cart", "1 book")).saved()).isTrue(); // reaches Redis between load and rotation
        String newId = ids.rotate(oldId);
        SaveResult r = store.rotate(oldId, new SessionWrite(newId, loggingIn, loggingIn.creationTime(),
                loggingIn.maxInactive(), Map.of("role", "admin"), Set.of()));
        assertThat(r.saved()).isTrue();
        assertThat(r.version()).isEqualTo(3);
        assertThat(store.load(newId).orElseThrow().attributes()).containsEntry("user", "ada")
                .containsEntry("cart", "1 book").containsEntry("role", "admin");
        assertThat(store.load(oldId)).isEmpty();
    }

    @Test
    void aSaveToTheOldIdAfterARotationIsRefused() {
        String oldId = create(Map.of("user", "ada"));
        StoredSession s = store.load(oldId).orElseThrow();
        String newId = ids.rotate(oldId);
        assertThat(store.rotate(oldId, new SessionWrite(newId, s, s.creationTime(), s.maxInactive(), Map.of(),
                Set.of())).saved()).isTrue();
        assertThat(set(s, Map.of("cart", "1 book")).status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.save(new SessionWrite(oldId, null, 1_000, TTL, Map.of("user", "ada"), Set.of())).saved())
                .isFalse();
        assertThat(store.load(newId).orElseThrow().attributes()).doesNotContainKey("cart");
    }

    @Test
    void aRotationAfterALogoutWritesNothing() {
        String oldId = create(Map.of("user", "ada"));
        StoredSession s = store.load(oldId).orElseThrow();
        store.delete(oldId);
        String newId = ids.rotate(oldId);
        SaveResult r = store.rotate(oldId, new SessionWrite(newId, s, s.creationTime(), s.maxInactive(),
                Map.of("role", "admin"), Set.of()));
        assertThat(r.status()).isEqualTo(SaveResult.Status.GONE);
        assertThat(store.load(newId)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "-5", "1.5", "1e400", "99999999999999999999", "nan", "0x10", " 7"})
    void aDamagedVersionReadsAsZeroAndTheNextSaveStartsAgainAtOne(String version) throws Exception {
        String id = create(Map.of("user", "ada"));
        redis.command("HSET", key(id), "#v", version);
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.version()).isZero();
        assertThat(s.attributes()).containsEntry("user", "ada");
        SaveResult r = set(s, Map.of("cart", "1 book"));
        assertThat(r.saved()).isTrue();
        assertThat(r.version()).isEqualTo(1);
        assertThat(store.load(id).orElseThrow().attributes()).containsEntry("cart", "1 book");
    }

    @Test
    void aSessionTheEarlierReleaseWroteHasVersionZeroAndSavesOnTop() throws Exception {
        String id = ids.next();
        assertThat(earlierSave("n", id, List.of(), Map.of("user", "ada"))).isEqualTo(1);
        assertThat(redis.command("HEXISTS", key(id), "#v")).isEqualTo(":0");
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.version()).isZero();
        assertThat(set(s, Map.of("cart", "1 book")).version()).isEqualTo(1);
        // ... and the earlier release, still running beside this one, reads and updates what this one wrote.
        assertThat(earlierSave("u", id, List.of(), Map.of("theme", "dark"))).isEqualTo(1);
        assertThat(store.load(id).orElseThrow().attributes()).containsEntry("user", "ada")
                .containsEntry("cart", "1 book").containsEntry("theme", "dark");
    }

    @Test
    void theEarlierReleasesUpdateCannotBringBackALogoutMadeByThisOne() throws Exception {
        // A rolling upgrade (or a rollback) in redis mode: a logout on this release, then a request of the same
        // session on an instance of the earlier release, whose save checks existence only.
        String id = create(Map.of("user", "ada"));
        store.delete(id);
        earlierSave("u", id, List.of(), Map.of("cart", "1 book"));
        assertThat(store.load(id)).isEmpty(); // this release: the tombstone
        // The earlier release reads the tombstone as a hash without a creation time: absent, never a 500.
        assertThat(redis.command("HEXISTS", key(id), "#c")).isEqualTo(":0");
    }

    @Test
    void theEarlierReleasesMirrorReplaceDoesUndoALogoutWhichIsWhyMirrorFleetsUpgradeFirst() throws Exception {
        // The documented upgrade path: the earlier release's mirror mode rewrote the whole session from its
        // container copy, whatever Redis held. Nothing this release writes can stop that, so the guide upgrades
        // every mirror-mode instance before weight moves without affinity. This test keeps that step honest.
        String id = create(Map.of("user", "ada"));
        store.delete(id);
        earlierSave("f", id, List.of(), Map.of("user", "ada"));
        assertThat(store.load(id)).isPresent();
    }

    /** Runs the earlier release's save script as that release called it. */
    private static long earlierSave(String mode, String id, List<String> removed, Map<String, Object> set)
            throws IOException {
        String body;
        try (InputStream in = SessionConflictsIT.class.getResourceAsStream("/earlier-release/save.lua")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<byte[]> args = new ArrayList<>();
        args.add(ascii(mode));
        args.add(ascii(Long.toString(TTL.toMillis())));
        args.add(ascii("1000"));
        args.add(ascii(Integer.toString(removed.size())));
        removed.forEach(r -> args.add(ascii("a:" + r)));
        args.add(ascii("#a"));
        args.add(ascii(Long.toString(System.currentTimeMillis())));
        args.add(ascii("#i"));
        args.add(ascii(Long.toString(TTL.toMillis())));
        set.forEach((k, v) -> {
            args.add(("a:" + k).getBytes(StandardCharsets.UTF_8));
            args.add(codec.encode(v));
        });
        Long r = raw.sync().eval(body, ScriptOutputType.INTEGER, new byte[][] {ascii(key(id))},
                args.toArray(byte[][]::new));
        return r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
