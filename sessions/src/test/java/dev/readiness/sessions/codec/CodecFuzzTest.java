package dev.readiness.sessions.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based: the codecs decode bytes read from Redis, which anyone with access to Redis can write. Whatever
 * the bytes, {@link AttributeCodec#decode} returns a value or throws its documented {@link AttributeDecodeException}
 * (the attribute is then dropped), never anything else; values of the supported types round-trip.
 */
class CodecFuzzTest {

    private static final List<AttributeCodec> CODECS = List.of(new BasicAttributeCodec(),
            new JsonAttributeCodec(new ClassAllowlist(List.of())), new JdkSerializationCodec(new ClassAllowlist(List.of())));

    private static void decodesOrRefuses(AttributeCodec codec, byte[] bytes) {
        try {
            codec.decode(bytes);
        } catch (AttributeDecodeException expected) {
            // the documented outcome for bytes that are not a value
        } catch (Throwable t) {
            throw new AssertionError(codec.name() + " codec threw " + t + " for " + bytes.length + " bytes", t);
        }
    }

    @Property(tries = 1500)
    void anyBytesDecodeOrFailWithTheDocumentedErrorOnly(@ForAll("bytes") byte[] bytes) {
        for (AttributeCodec codec : CODECS) {
            decodesOrRefuses(codec, bytes);
        }
    }

    @Property(tries = 1500)
    void aValidEncodingWithBytesChangedDecodesOrFailsWithTheDocumentedErrorOnly(@ForAll("values") Object value,
            @ForAll("edits") List<int[]> edits) {
        for (AttributeCodec codec : CODECS) {
            byte[] b;
            try {
                b = codec.encode(value);
            } catch (IllegalArgumentException notStorable) {
                continue; // a type this codec does not store (json: Instant without the allowlist)
            }
            for (int[] e : edits) {
                if (b.length > 0) {
                    b[Math.floorMod(e[0], b.length)] = (byte) e[1];
                }
            }
            decodesOrRefuses(codec, b);
            decodesOrRefuses(codec, java.util.Arrays.copyOf(b, Math.floorMod(edits.size() * 7, b.length + 1)));
        }
    }

    @Property(tries = 1000)
    void basicCodecValuesRoundTrip(@ForAll("values") Object value) throws Exception {
        BasicAttributeCodec codec = new BasicAttributeCodec();
        Object back = codec.decode(codec.encode(value));
        if (value instanceof byte[] b) {
            assertThat((byte[]) back).isEqualTo(b);
        } else {
            assertThat(back).isEqualTo(value);
        }
    }

    @Property(tries = 500)
    void jdkCodecValuesRoundTrip(@ForAll("values") Object value) throws Exception {
        AttributeCodec codec = CODECS.get(2);
        Object back = codec.decode(codec.encode(value));
        if (value instanceof byte[] b) {
            assertThat((byte[]) back).isEqualTo(b);
        } else {
            assertThat(back).isEqualTo(value);
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        // Starts the codecs recognise, so the fuzzing reaches past the first byte.
        Arbitrary<byte[]> basic = random.map(b -> prefixed(new byte[] {1}, b));
        Arbitrary<byte[]> jdk = random.map(b -> prefixed(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5}, b));
        Arbitrary<byte[]> json = Arbitraries.strings().withChars("{}[]\":,tv0123456789.-eE nulltruefalse\\u")
                .ofMaxLength(120).map(s -> ("{\"t\":\"java.util.ArrayList\",\"v\":" + s).getBytes());
        return Arbitraries.oneOf(random, basic, jdk, json);
    }

    private static byte[] prefixed(byte[] head, byte[] tail) {
        byte[] b = new byte[head.length + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        return b;
    }

    @Property(tries = 500)
    void aStringThatIsNotUnicodeTextIsRefusedByTheBasicCodecNeverStoredChanged(@ForAll String s) throws Exception {
        BasicAttributeCodec codec = new BasicAttributeCodec();
        if (BasicAttributeCodec.unpairedSurrogate(s) >= 0) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.encode(s))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(codec.decode(codec.encode(s))).isEqualTo(s);
        }
    }

    /** Any text, unpaired surrogates left out (not Unicode; the basic codec refuses them, as tested above). */
    static Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40).filter(s -> BasicAttributeCodec.unpairedSurrogate(s) < 0);
    }

    @Provide
    Arbitrary<List<int[]>> edits() {
        return Arbitraries.integers().between(0, 10_000).list().ofSize(2).map(l -> new int[] {l.get(0), l.get(1)})
                .list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                text().map(o -> (Object) o),
                Arbitraries.integers().map(o -> (Object) o),
                Arbitraries.longs().map(o -> (Object) o),
                Arbitraries.doubles().map(o -> (Object) o),
                Arbitraries.of(true, false).map(o -> (Object) o),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(Long.MIN_VALUE).pow(2).negate(),
                        BigInteger.valueOf(Long.MIN_VALUE).pow(2)).map(o -> (Object) o),
                Arbitraries.bigDecimals().map(o -> (Object) o),
                Arbitraries.randomValue(r -> (Object) new UUID(r.nextLong(), r.nextLong())),
                Arbitraries.longs().between(-31_000_000_000L, 31_000_000_000L).map(s -> (Object) Instant.ofEpochSecond(s)));
        Arbitrary<Object> list = scalar.list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), scalar).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
        Arbitrary<Object> nested = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), list).ofMaxSize(3)
                .map(m -> (Object) new LinkedHashMap<Object, Object>(m));
        return Arbitraries.oneOf(scalar, list, map, nested);
    }
}
