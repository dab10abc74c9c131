package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.codec.JdkSerializationCodec;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy changes a stored class (its serialVersionUID). Every session that holds it must keep working:
 * the attribute is dropped, logged and counted; the rest of the session survives.
 */
class CodecUpgradeIT {

    @Test
    void anAttributeWhoseClassChangedIsDroppedAndTheRestOfTheSessionServes() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).codec(SessionSettings.Codec.JDK)
                    .allowlist(List.of("dev.readiness.sessions.servlet.Cart")).cookieSecure(false).build();
            RedisSessionStore store = RedisSessionStore.create(settings);
            try (TestApp app = new TestApp(new SessionFilter(store, settings))) {
                Browser b = new Browser();
                assertThat(b.get(app.base() + "/counter").body()).isEqualTo("1");
                String key = SessionIds.key(settings.keyPrefix(), b.cookies.get("SESSION"));

                // What the old release wrote: the same class with serialVersionUID 2.
                byte[] current = ((JdkSerializationCodec) store.codec()).encode(new Cart(List.of("book")));
                byte[] old = withSerialVersionUid(current, Cart.class.getName(), 2L);
                // And a class outside the allowlist, as an attacker with write access to Redis would plant.
                byte[] planted = plantedOutsideAllowlist();
                RedisClient raw = RedisClient.create(redis.uri());
                try (StatefulRedisConnection<byte[], byte[]> c = raw.connect(ByteArrayCodec.INSTANCE)) {
                    c.sync().hset(bytes(key), bytes("a:cart"), old);
                    c.sync().hset(bytes(key), bytes("a:gadget"), planted);
                } finally {
                    raw.shutdown();
                }

                Browser.Reply r = b.get(app.base() + "/counter");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("2");
                assertThat(store.decodeFailures()).isEqualTo(2);
                assertThat(b.get(app.base() + "/names").body()).isEqualTo("counter");
                assertThat(redis.command("HEXISTS", key, "a:cart")).as("removed at the next save").isEqualTo(":0");
            } finally {
                store.close();
            }
        }
    }

    /** The JDK stream of {@code className} with its serialVersionUID replaced. */
    static byte[] withSerialVersionUid(byte[] stream, String className, long uid) {
        byte[] name = className.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(stream, name);
        assertThat(at).as("class descriptor in stream").isPositive();
        byte[] copy = stream.clone();
        int pos = at + name.length;
        for (int i = 7; i >= 0; i--) {
            copy[pos + i] = (byte) (uid & 0xff);
            uid >>>= 8;
        }
        return copy;
    }

    /** A serialized object of a class the allowlist does not name (a classic gadget-chain entry point). */
    static byte[] plantedOutsideAllowlist() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new javax.management.BadAttributeValueExpException("x"));
        }
        return bytes.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
