package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.BasicAttributeCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based: the hash a load reads is whatever Redis holds under the session's key, written by anyone. The
 * format's parse never throws for any fields and values: a hash that is not ours reads as absent, an attribute the
 * codec cannot read is dropped; a session this library wrote reads back as written.
 */
class SessionHashFuzzTest {

    private static final String ID = new SessionIds().next();
    private final SessionHash format = new SessionHash(new BasicAttributeCodec(), SessionEvents.NONE);

    @Property(tries = 2000)
    void anyHashParsesToASessionOrNothingWithoutThrowing(@ForAll("hashes") Map<String, byte[]> hash) {
        Optional<StoredSession> s = format.parse(ID, hash, false);
        s.ifPresent(session -> {
            assertThat(hash).containsKeys(SessionHash.CREATED, SessionHash.ACCESSED, SessionHash.MAX_INACTIVE);
            assertThat(session.attributes().size() + session.undecodable().size())
                    .isEqualTo((int) hash.keySet().stream().filter(k -> k.startsWith(SessionHash.ATTR)).count());
        });
        assertThat(SessionHash.version(hash.get(SessionHash.VERSION))).isNotNegative();
    }

    @Property(tries = 1000)
    void anyLoadReplyBecomesAHashWithoutThrowing(@ForAll("replies") List<Object> reply) {
        Map<String, byte[]> hash = SessionHash.fromReply(reply);
        assertThat(hash.size()).isLessThanOrEqualTo(reply.size() / 2);
    }

    @Property(tries = 500)
    void aSavedSessionReadsBackAsWritten(@ForAll("attributes") Map<String, Object> attributes) {
        SessionWrite w = new SessionWrite(ID, null, 0, Duration.ofMinutes(30), attributes, Set.of());
        SessionHash.Args args = SessionHash.saveArgs(SessionHash.Write.CREATE, w, format.encode(w), Set.of(), 1_000L);
        // What Script.SAVE writes: the creation time, the version, then the field/value pairs from ARGV[5] on.
        List<Object> reply = new ArrayList<>(List.of(bytes("#c"), args.values().get(2), bytes("#v"), bytes("1")));
        reply.addAll(args.values().subList(4, args.values().size()));
        StoredSession s = format.parse(ID, SessionHash.fromReply(reply), false).orElseThrow();
        assertThat(s.attributes()).isEqualTo(attributes);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.maxInactive()).isEqualTo(Duration.ofMinutes(30));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<Map<String, byte[]>> hashes() {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of("#c", "#a", "#i", "#v", "#x"),
                Arbitraries.strings().all().ofMaxLength(10).map(n -> "a:" + n), Arbitraries.strings().all().ofMaxLength(6));
        Arbitrary<byte[]> value = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.strings().numeric().ofMaxLength(22).map(SessionHashFuzzTest::bytes),
                Arbitraries.longs().map(l -> bytes(Long.toString(l))));
        return Arbitraries.maps(field, value).ofMaxSize(8).map(m -> {
            Map<String, byte[]> h = new HashMap<>(m);
            h.putIfAbsent("#c", bytes("1")); // most hashes look like sessions, so attributes are reached
            h.putIfAbsent("#a", bytes("2"));
            h.putIfAbsent("#i", bytes("60000"));
            return h;
        });
    }

    @Provide
    Arbitrary<List<Object>> replies() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.just((Object) null)).list().ofMaxSize(9);
    }

    @Provide
    Arbitrary<Map<String, Object>> attributes() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20)
                .filter(s -> dev.readiness.sessions.codec.BasicAttributeCodec.unpairedSurrogate(s) < 0);
        Arbitrary<Object> value = Arbitraries.oneOf(text.map(o -> (Object) o),
                Arbitraries.longs().map(o -> (Object) o), Arbitraries.integers().list().ofMaxSize(3)
                        .map(l -> (Object) new ArrayList<>(l)));
        return Arbitraries.maps(text.filter(s -> !s.isEmpty()), value).ofMaxSize(6);
    }
}
