package dev.readiness.sessions.redis;

import dev.readiness.sessions.CommandStats;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionRefusedException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sessions under hostile or oversized payloads, on a real redis-server: what is refused, that the refusal is
 * counted, and that the stored session is left as it was.
 */
class HostilePayloadsIT {

    static RedisServer redis;
    static RedisSessionStore store;
    static final SessionIds ids = new SessionIds();
    static final List<String> refused = new CopyOnWriteArrayList<>();
    static final List<String> failures = new CopyOnWriteArrayList<>();

    /** Counts what the store reports, as SessionMetrics would. */
    static final SessionEvents events = new SessionEvents() {
        @Override
        public void refused(String reason) {
            refused.add(reason);
        }

        @Override
        public void failed(String operation, String kind, Throwable cause) {
            failures.add(operation + ":" + kind);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        store = RedisSessionStore.create(settings(redis.uri()).build(), new BasicAttributeCodec(), events);
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
        refused.clear();
        failures.clear();
    }

    static SessionSettings.Builder settings(String uri) {
        return SessionSettings.builder().redisUri(uri).commandTimeout(Duration.ofSeconds(2)).maxSize(4096)
                .maxAttributes(20).nearCache(false);
    }

    static String create(RedisSessionStore s, Map<String, Object> attributes) {
        String id = ids.next();
        SaveResult r = s.save(new SessionWrite(id, null, 0, Duration.ofMinutes(30), attributes, Set.of()));
        assertThat(r.saved()).isTrue();
        return id;
    }

    static String key(String id) {
        return SessionIds.key("readiness:session:", id);
    }

    @Test
    void aStoredSessionOverTwiceMaxSizeIsRefusedCountedNeverReadAndLeftAsItWas() throws Exception {
        String id = create(store, Map.of("user", "ada"));
        // Written by another client (or an older release with a larger max-size): 9,000 bytes, over 2 x 4,096.
        redis.command("HSET", key(id), "a:blob", "x".repeat(9000));
        long sentBefore = netOutputBytes();
        assertThatThrownBy(() -> store.load(id)).isInstanceOf(SessionRefusedException.class)
                .isInstanceOf(SessionStoreUnavailableException.class) // the filter answers 503, never 500
                .hasMessageContaining("readiness.sessions.max-size=4096").hasMessageContaining("not read");
        assertThat(refused).containsExactly("load-size");
        assertThat(failures).as("Redis answered: not a Redis failure").isEmpty();
        // the 9,000 bytes never crossed the network: Redis sent the refusal and the INFO reply read before it
        assertThat(netOutputBytes() - sentBefore).as("bytes Redis sent during the refused load").isLessThan(6_000);
        assertThat(redis.command("HSTRLEN", key(id), "a:blob")).isEqualTo(":9000");
        assertThat(redis.command("HGET", key(id), "a:user")).contains("ada");
    }

    @Test
    void aStoredSessionWithMoreFieldsThanMaxAttributesIsRefusedBeforeItsFieldsAreListed() throws Exception {
        String id = create(store, Map.of("user", "ada"));
        List<String> hset = new ArrayList<>(List.of("HSET", key(id)));
        for (int i = 0; i < 30; i++) {
            hset.add("a:n" + i);
            hset.add("\u0001N");
        }
        redis.command(hset.toArray(String[]::new));
        CommandStats.reset(redis);
        assertThatThrownBy(() -> store.load(id)).isInstanceOf(SessionRefusedException.class)
                .hasMessageContaining("readiness.sessions.max-attributes=20").hasMessageContaining("35 fields");
        assertThat(refused).containsExactly("load-attributes");
        assertThat(CommandStats.read(redis)).containsEntry("hlen", 1L).doesNotContainKeys("hkeys", "hgetall");
        assertThat(redis.command("HLEN", key(id))).isEqualTo(":35");
    }

    @Test
    void aSessionAnOlderReleaseWroteAtTheLimitWithoutCountingNamesStillLoads() throws Exception {
        String id = create(store, Map.of("user", "ada"));
        // Values 4,000 bytes (what an older release counted), names 1,000 more: over max-size, within twice it.
        redis.command("HSET", key(id), "a:" + "n".repeat(1000), "\u0001S\u0000\u0000\u000fp" + "v".repeat(0x0f70));
        StoredSession s = store.load(id).orElseThrow();
        assertThat(s.attributes()).containsKeys("user", "n".repeat(1000));
        assertThat(refused).isEmpty();
        // It keeps working: a save that does not grow it is not refused, one that grows it is.
        store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("user", "bob"), Set.of()));
        assertThatThrownBy(() -> store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(),
                Map.of("user", "a much longer name"), Set.of()))).isInstanceOf(SessionTooLargeException.class);
        assertThat(store.load(id).orElseThrow().attributes()).containsEntry("user", "bob");
    }

    @Test
    void attributeNamesCountAgainstMaxSize() {
        String longName = "n".repeat(3000);
        assertThatThrownBy(() -> create(store, Map.of(longName, "v".repeat(1500))))
                .isInstanceOf(SessionTooLargeException.class)
                .hasMessageContaining("readiness.sessions.max-size=4096");
        // The same value under a short name fits: it is the name that was counted.
        create(store, Map.of("short", "v".repeat(1500)));
    }

    @Test
    void redisLuaUnpacksAtMost7999ValuesSoTheLargestMaxAttributesStaysFarBelowIt() throws Exception {
        String script = "return select('#', unpack(ARGV))";
        assertThat(redis.command(eval(script, 7999))).isEqualTo(":7999");
        assertThat(redis.command(eval(script, 8000))).startsWith("-").contains("too many results to unpack");
        // The save script with 4,000 attributes (8,000 values in one unpack): Redis itself refuses it.
        assertThat(redis.command(saveScriptWith(4000))).startsWith("-").contains("too many results to unpack");
        // max-attributes is at most 3,000 (6,000 values plus the metadata): within the limit, and it saves.
        assertThat(redis.command(saveScriptWith(3000))).isEqualTo(":1");
        assertThatThrownBy(() -> SessionSettings.builder().redisUri(redis.uri()).maxAttributes(3001).build())
                .hasMessageContaining("readiness.sessions.max-attributes");
        assertThat(SessionSettings.MAX_ATTRIBUTES.defaultValue()).isEqualTo(1000);
    }

    private static String[] eval(String script, int values) {
        List<String> cmd = new ArrayList<>(List.of("EVAL", script, "0"));
        for (int i = 0; i < values; i++) {
            cmd.add("v");
        }
        return cmd.toArray(String[]::new);
    }

    /** Script.SAVE creating a session with {@code attributes} attributes, as SessionHash.saveArgs lays them out. */
    private static String[] saveScriptWith(int attributes) {
        List<String> cmd = new ArrayList<>(List.of("EVAL", Script.SAVE.body(), "1", key(ids.next()), "n", "60000",
                "1", "0", "#a", "1", "#i", "60000"));
        for (int i = 0; i < attributes; i++) {
            cmd.add("a:n" + i);
            cmd.add("\u0001N");
        }
        return cmd.toArray(String[]::new);
    }

    @Test
    void aSaveOverMaxAttributesIsRefusedByUsBeforeRedisAndTheStoredSessionIsLeftAsItWas() throws Exception {
        Map<String, Object> twenty = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            twenty.put("n" + i, i);
        }
        String id = create(store, twenty);
        StoredSession s = store.load(id).orElseThrow();
        CommandStats.reset(redis);
        assertThatThrownBy(() -> store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(),
                Map.of("one-more", 1), Set.of())))
                .isInstanceOf(SessionTooLargeException.class)
                .hasMessageContaining("21 attributes").hasMessageContaining("readiness.sessions.max-attributes=20");
        assertThat(refused).containsExactly("save-attributes");
        assertThat(CommandStats.sentByClient(CommandStats.read(redis))).as("nothing sent").isZero();
        assertThat(store.load(id).orElseThrow().attributes()).hasSize(20).doesNotContainKey("one-more");
        // Replacing one attribute by another keeps the count: allowed.
        store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("other", 1), Set.of("n0")));
        assertThat(store.load(id).orElseThrow().attributes()).hasSize(20).containsKey("other");
    }

    @Test
    void aRedisErrorReplyIsNamedWithRedisOwnMessageAndCountedAsARedisError() throws Exception {
        String id = create(store, Map.of("user", "ada"));
        StoredSession s = store.load(id).orElseThrow();
        redis.command("DEL", key(id));
        redis.command("SET", key(id), "not a hash"); // another client's key under our name
        assertThatThrownBy(() -> store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(),
                Map.of("b", 2), Set.of())))
                .isInstanceOf(SessionStoreUnavailableException.class)
                .hasMessageContaining("answered with an error").hasMessageContaining("WRONGTYPE")
                .hasMessageNotContaining("did not answer");
        assertThatThrownBy(() -> store.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                .hasMessageContaining("WRONGTYPE");
        assertThat(failures).containsExactly("save:redis-error", "load:redis-error");
        assertThat(redis.command("GET", key(id))).contains("not a hash");
    }

    @Test
    void aTimeoutAndALostConnectionAreToldApartFromEachOtherAndFromErrorReplies() throws Exception {
        RedisServer own = RedisServer.start();
        try (RedisSessionStore s = RedisSessionStore.create(settings(own.uri()).commandTimeout(Duration.ofMillis(300))
                .build(), new BasicAttributeCodec(), events)) {
            String id = ids.next();
            assertThat(s.load(id)).isEmpty();
            own.pause();
            try {
                assertThatThrownBy(() -> s.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                        .hasMessageContaining("did not answer within").hasMessageContaining("command-timeout");
            } finally {
                own.resume();
            }
            assertThat(s.load(id)).isEmpty();
            own.kill();
            Thread.sleep(300); // the connection's close is seen
            assertThatThrownBy(() -> s.load(id)).isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("not reachable").hasMessageNotContaining("did not answer within");
            assertThat(failures).containsExactly("load:timeout", "load:connection");
        } finally {
            own.close();
        }
    }

    @Test
    void aRestartedRedisThatLostItsScriptsCostsOneRoundTripPerCommandNotTwo() throws Exception {
        RedisServer own = RedisServer.start();
        int port = own.port();
        RedisServer back = null;
        try (RedisSessionStore s = RedisSessionStore.create(settings(own.uri()).build(), new BasicAttributeCodec(),
                events)) {
            String before = create(s, Map.of("a", 1));
            s.load(before).orElseThrow();
            own.kill();
            back = RedisServer.start(port);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) { // Lettuce reconnects within reconnect-max-delay (1 s)
                try {
                    s.load(before);
                    break;
                } catch (SessionStoreUnavailableException notYet) {
                    assertThat(System.nanoTime()).as("reconnected within 10 s").isLessThan(until);
                    Thread.sleep(50);
                }
            }
            CommandStats.reset(back);
            String id = ids.next();
            SaveResult saved = s.save(new SessionWrite(id, null, 0, Duration.ofMinutes(30), Map.of("a", 2), Set.of()));
            StoredSession loaded = s.load(id).orElseThrow();
            SaveResult again = s.save(new SessionWrite(id, loaded, loaded.creationTime(), loaded.maxInactive(),
                    Map.of("a", 3), Set.of()));
            Map<String, Long> calls = CommandStats.read(back);
            System.out.println("HostilePayloadsIT: after a restart, a create, a load and a save: " + calls);
            assertThat(saved.commands()).isEqualTo(1);
            assertThat(again.commands()).isEqualTo(1);
            // The first load after the reconnect (in the wait above) sent the load script whole; the save script
            // went whole once, then by its SHA. No NOSCRIPT round trip at all.
            assertThat(calls).containsEntry("eval", 1L).containsEntry("evalsha", 2L);
            assertThat(s.load(id).orElseThrow().attributes()).containsEntry("a", 3);
        } finally {
            own.close();
            if (back != null) {
                back.close();
            }
        }
    }

    @Test
    void aFlushedScriptCacheCostsOneExtraRoundTripOnceForAllScripts() throws Exception {
        String id = create(store, Map.of("a", 1));
        redis.command("SCRIPT", "FLUSH");
        CommandStats.reset(redis);
        StoredSession s = store.load(id).orElseThrow(); // EVALSHA answered NOSCRIPT, then EVAL
        SaveResult first = store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("a", 2), Set.of()));
        SaveResult second = store.save(new SessionWrite(id, s, s.creationTime(), s.maxInactive(), Map.of("a", 3), Set.of()));
        Map<String, Long> calls = CommandStats.read(redis);
        assertThat(first.commands()).as("the save script is sent whole at once: Redis's cache is known gone").isEqualTo(1);
        assertThat(second.commands()).isEqualTo(1);
        assertThat(calls).containsEntry("eval", 2L).containsEntry("evalsha", 2L);
        assertThat(store.load(id).orElseThrow().attributes()).containsEntry("a", 3);
    }

    /** Not in the reader's allowlist. */
    public static class Outsider implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aDisallowedClassInsideAnAllowedListIsDroppedCountedAndTheRestOfTheSessionIsServed() throws Exception {
        SessionSettings writes = settings(redis.uri()).build();
        try (RedisSessionStore writer = RedisSessionStore.create(writes,
                new dev.readiness.sessions.codec.JdkSerializationCodec(new dev.readiness.sessions.codec.ClassAllowlist(
                        List.of(Outsider.class.getName()))), SessionEvents.NONE);
             RedisSessionStore reader = RedisSessionStore.create(writes,
                     new dev.readiness.sessions.codec.JdkSerializationCodec(new dev.readiness.sessions.codec.ClassAllowlist(
                             List.of())), events)) {
            String id = create(writer, Map.of("user", "ada", "list", new ArrayList<>(List.of("ok", new Outsider()))));
            StoredSession s = reader.load(id).orElseThrow();
            assertThat(s.attributes()).containsOnlyKeys("user");
            assertThat(s.undecodable()).containsExactly("list");
            assertThat(refused).containsExactly("class-not-allowed");
            assertThat(reader.decodeFailures()).isEqualTo(1);
        }
    }

    /** What Redis has sent to all its clients so far ({@code INFO stats} {@code total_net_output_bytes}). */
    private static long netOutputBytes() throws java.io.IOException {
        String info = redis.command("INFO", "stats");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("total_net_output_bytes:(\\d+)").matcher(info);
        assertThat(m.find()).as("total_net_output_bytes in INFO stats").isTrue();
        return Long.parseLong(m.group(1));
    }
}
