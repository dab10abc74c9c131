package dev.readiness.sessions.redis;

import org.junit.jupiter.api.Test;

import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The near cache's bookkeeping: what may be stored, when it must be dropped. Redis itself is in NearCacheIT. */
class NearCacheTest {

    final List<String> events = new ArrayList<>();
    final NearCache cache = new NearCache(1024 * 1024, events::add);

    static Map<String, byte[]> hash(String... kv) {
        Map<String, byte[]> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    static List<byte[]> bytes(String... s) {
        List<byte[]> b = new ArrayList<>();
        for (String x : s) {
            b.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    static String text(Map<String, byte[]> h, String field) {
        return new String(h.get(field), StandardCharsets.UTF_8);
    }

    void track() {
        cache.trackingConfirmed(cache.epoch());
    }

    @Test
    void nothingIsStoredOrServedBeforeTrackingIsConfirmed() {
        NearCache.Ticket t = cache.beforeLoad("k");
        cache.loaded(t, "k", hash("#a", "1"));
        assertThat(cache.size()).isZero();
        track();
        assertThat(cache.get("k")).isNull();
        NearCache.Ticket t2 = cache.beforeLoad("k");
        cache.loaded(t2, "k", hash("#a", "1"));
        assertThat(text(cache.get("k"), "#a")).isEqualTo("1");
    }

    @Test
    void aLoadThatStartedBeforeAnInvalidationDoesNotStoreWhatItRead() {
        track();
        NearCache.Ticket t = cache.beforeLoad("k");
        cache.invalidated("k"); // the push arrived while the reply was on its way to the caller
        cache.loaded(t, "k", hash("#a", "old"));
        assertThat(cache.get("k")).isNull();
        assertThat(events).containsExactly("invalidation");
    }

    @Test
    void aLoadThatStartedBeforeThisInstancesOwnWriteDoesNotStoreWhatItRead() {
        track();
        NearCache.Ticket load = cache.beforeLoad("k");
        NearCache.Ticket write = cache.beforeWrite("k");
        cache.written(write, "k", null, bytes(), bytes("a:x", "2"));
        cache.loaded(load, "k", hash("#a", "1", "a:x", "1")); // read before the write ran
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void anEmptyHashIsNeverCached() {
        track();
        cache.loaded(cache.beforeLoad("k"), "k", Map.of());
        assertThat(cache.size()).isZero();
    }

    @Test
    void anOwnWriteIsAppliedToTheCachedState() {
        track();
        cache.loaded(cache.beforeLoad("k"), "k", hash("#c", "0", "#a", "1", "a:x", "1", "a:gone", "z"));
        cache.written(cache.beforeWrite("k"), "k", null, bytes("a:gone"), bytes("#a", "2", "a:x", "2", "a:y", "new"));
        Map<String, byte[]> h = cache.get("k");
        assertThat(h).containsOnlyKeys("#c", "#a", "a:x", "a:y");
        assertThat(text(h, "#a")).isEqualTo("2");
        assertThat(text(h, "a:x")).isEqualTo("2");
    }

    @Test
    void aCreatedSessionIsCachedWhole() {
        track();
        cache.written(cache.beforeWrite("k"), "k", hash("#c", "5", "#a", "5", "a:x", "1"), bytes(), bytes("#a", "5"));
        assertThat(cache.get("k")).containsOnlyKeys("#c", "#a", "a:x");
    }

    @Test
    void anUpdateOfASessionThatIsNotCachedCachesNothing() {
        track();
        cache.written(cache.beforeWrite("k"), "k", null, bytes(), bytes("#a", "2"));
        assertThat(cache.get("k")).isNull(); // a partial state must never pass for the session
    }

    @Test
    void twoOwnWritesInFlightAtOnceDropTheEntryInsteadOfGuessingTheirOrder() {
        track();
        cache.loaded(cache.beforeLoad("k"), "k", hash("#a", "1", "a:x", "1"));
        NearCache.Ticket first = cache.beforeWrite("k");
        NearCache.Ticket second = cache.beforeWrite("k");
        cache.written(second, "k", null, bytes(), bytes("a:x", "3"));
        cache.written(first, "k", null, bytes(), bytes("a:x", "2"));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void anInvalidationDuringAnOwnWriteDropsTheEntry() {
        track();
        cache.loaded(cache.beforeLoad("k"), "k", hash("#a", "1", "a:x", "1"));
        NearCache.Ticket w = cache.beforeWrite("k");
        cache.invalidated("k"); // another instance wrote too
        cache.loaded(cache.beforeLoad("k"), "k", hash("#a", "1", "a:x", "1", "a:other", "o"));
        cache.written(w, "k", null, bytes(), bytes("a:x", "2"));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void aFlushDropsEverythingAndStopsServingUntilTrackingIsConfirmedOnTheNewConnection() {
        track();
        long before = cache.epoch();
        cache.loaded(cache.beforeLoad("k"), "k", hash("#a", "1"));
        NearCache.Ticket inFlight = cache.beforeLoad("j");
        cache.flush();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.tracking()).isFalse();
        cache.loaded(inFlight, "j", hash("#a", "1"));
        assertThat(cache.size()).as("a reply from the old connection").isZero();
        cache.trackingConfirmed(before); // a confirmation sent on the old connection
        assertThat(cache.tracking()).isFalse();
        track();
        assertThat(cache.tracking()).isTrue();
        assertThat(events).containsExactly("flush");
    }

    @Test
    void theSizeStaysUnderTheBoundAndOneHugeSessionIsNotCached() {
        NearCache small = new NearCache(64 * 1024, e -> {
        });
        small.trackingConfirmed(small.epoch());
        String value = "v".repeat(1000);
        for (int i = 0; i < 200; i++) {
            small.loaded(small.beforeLoad("k" + i), "k" + i, hash("#a", "1", "a:x", value));
            assertThat(small.bytes()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(small.size()).isBetween(40, 64);
        assertThat(small.get("k199")).as("the newest entry is kept").isNotNull();
        small.loaded(small.beforeLoad("huge"), "huge", hash("a:x", "h".repeat(20_000)));
        assertThat(small.get("huge")).isNull();
        small.flush();
        assertThat(small.bytes()).isZero();
    }

    @Test
    void bytesAreAccountedThroughUpdatesAndDrops() {
        track();
        cache.loaded(cache.beforeLoad("k"), "k", hash("#a", "1", "a:x", "1"));
        long one = cache.bytes();
        cache.written(cache.beforeWrite("k"), "k", null, bytes(), bytes("a:y", "x".repeat(100)));
        assertThat(cache.bytes()).isGreaterThan(one + 100);
        cache.forget("k");
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void clientInfoLinesAreReadStrictly() {
        assertThat(ClientTracking.trackingConfirmed("id=4 addr=127.0.0.1:1 flags=t db=0 resp=3", false)).isTrue();
        assertThat(ClientTracking.trackingConfirmed("id=4 flags=t db=0", true)).as("6.2: no resp field").isTrue();
        assertThat(ClientTracking.trackingConfirmed("id=4 flags=t db=0", false)).isFalse();
        assertThat(ClientTracking.trackingConfirmed("id=4 flags=t resp=2", true)).as("the line wins").isFalse();
        assertThat(ClientTracking.trackingConfirmed("id=4 flags=N resp=3", true)).isFalse();
        assertThat(ClientTracking.trackingConfirmed("id=4 name=flags=t resp=3", true)).isFalse();
        assertThat(ClientTracking.trackingConfirmed("", true)).isFalse();
        assertThat(ClientTracking.trackingConfirmed(null, true)).isFalse();
        assertThat(ClientTracking.trackingConfirmed("\u0000\r\n garbage =", true)).isFalse();
    }

    /** A push as Lettuce hands it over: bulk strings as ByteBuffers, decoded by the listener's function. */
    static PushMessage push(String type, Object... content) {
        return new PushMessage() {
            @Override
            public String getType() {
                return type;
            }

            @Override
            public List<Object> getContent() {
                return getContent(b -> b);
            }

            @Override
            public List<Object> getContent(java.util.function.Function<ByteBuffer, Object> decode) {
                List<Object> out = new ArrayList<>();
                for (Object o : content) {
                    out.add(decodeAll(o, decode));
                }
                return out;
            }
        };
    }

    private static Object decodeAll(Object o, java.util.function.Function<ByteBuffer, Object> decode) {
        if (o instanceof String str) {
            return decode.apply(ByteBuffer.wrap(str.getBytes(StandardCharsets.UTF_8)));
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object e : list) {
                out.add(decodeAll(e, decode));
            }
            return out;
        }
        return o;
    }

    @Test
    void pushesInvalidateTheKeysTheyNameAndAnythingOddEmptiesTheCache() {
        track();
        PushListener listener = ClientTracking.invalidations(cache);
        cache.loaded(cache.beforeLoad("a"), "a", hash("#a", "1"));
        cache.loaded(cache.beforeLoad("b"), "b", hash("#a", "1"));
        cache.loaded(cache.beforeLoad("c"), "c", hash("#a", "1"));

        listener.onPushMessage(push("message", "__redis__:invalidate", List.of("a"))); // not ours: ignored
        assertThat(cache.size()).isEqualTo(3);
        listener.onPushMessage(push("invalidate", "invalidate", List.of("a", "b", "never-cached")));
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.tracking()).isTrue();

        for (PushMessage odd : List.of(push("invalidate", "invalidate", (Object) null), push("invalidate"),
                push("invalidate", "invalidate", 42L), push("invalidate", "invalidate", "not-a-list"))) {
            cache.trackingConfirmed(cache.epoch());
            cache.loaded(cache.beforeLoad("c"), "c", hash("#a", "1"));
            assertThat(cache.size()).isEqualTo(1);
            listener.onPushMessage(odd);
            assertThat(cache.size()).as("after %s", odd.getContent()).isZero();
            assertThat(cache.tracking()).isFalse();
        }
    }
}
