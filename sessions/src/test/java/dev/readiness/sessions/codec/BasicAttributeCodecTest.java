package dev.readiness.sessions.codec;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class BasicAttributeCodecTest {

    final BasicAttributeCodec codec = new BasicAttributeCodec();

    @Test
    void everySupportedTypeRoundTrips() throws Exception {
        Map<Object, Object> nested = new LinkedHashMap<>();
        nested.put("k", List.of(1, 2L, "three"));
        nested.put(7, null);
        List<Object> values = List.of("text ✓", true, 42, 42L, 1.5d, 2.5f, (short) 3, (byte) 4, 'c',
                new BigInteger("123456789012345678901234567890"), new BigDecimal("3.14159"), UUID.randomUUID(),
                Instant.parse("2026-11-21T10:15:30.123456789Z"), List.of("a", "b"), new LinkedHashSet<>(Set.of(1)), nested, "");
        for (Object v : values) {
            assertThat(codec.decode(codec.encode(v))).as(v.getClass().getName()).isEqualTo(v);
        }
        byte[] raw = {1, 2, 3};
        assertThat((byte[]) codec.decode(codec.encode(raw))).containsExactly(1, 2, 3);
    }

    @Test
    void anUnsupportedTypeFailsWhereItIsSetNamingTheTypeAndTheWayOut() {
        assertThatThrownBy(() -> codec.encode(new Object() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readiness.sessions.codec=json|jdk");
        assertThatThrownBy(() -> codec.encode(List.of(new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.StringBuilder");
    }

    @Test
    void truncatedUnknownAndHostileBytesAreDecodeErrorsNeverOtherExceptions() {
        byte[] good = codec.encode(Map.of("a", List.of(1, 2, 3)));
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> codec.decode(cut)).isInstanceOf(AttributeDecodeException.class);
        }
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 'Q'})).isInstanceOf(AttributeDecodeException.class)
                .hasMessageContaining("unknown type tag");
        assertThatThrownBy(() -> codec.decode(new byte[] {9, 'N'})).hasMessageContaining("version");
        // A length that claims 2 GB must not allocate it.
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 'S', 0x7f, -1, -1, -1})).isInstanceOf(AttributeDecodeException.class);
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 'L', 0x7f, -1, -1, -1})).isInstanceOf(AttributeDecodeException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(AttributeDecodeException.class);
    }

    @Test
    void deepNestingIsBoundedBothWays() {
        Object deep = "x";
        for (int i = 0; i < BasicAttributeCodec.MAX_DEPTH + 2; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> codec.encode(tooDeep)).isInstanceOf(IllegalArgumentException.class);
        byte[] hostile = new byte[1 + 5 * 100 + 1];
        hostile[0] = 1;
        for (int i = 0; i < 100; i++) {
            hostile[1 + i * 5] = 'L';
            hostile[1 + i * 5 + 4] = 1;
        }
        hostile[hostile.length - 1] = 'N';
        assertThatThrownBy(() -> codec.decode(hostile)).isInstanceOf(AttributeDecodeException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButADecodeError() throws Exception {
        Random random = new Random(42);
        int rejected = 0;
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            if (b.length > 0) {
                b[0] = 1;
            }
            Object[] decoded = new Object[1];
            Throwable thrown = catchThrowable(() -> decoded[0] = codec.decode(b));
            if (thrown == null) {
                // What decodes was one whole value, nothing after it: its encoding is as long as the input (a
                // boolean may have been written as any non-zero byte, so the bytes themselves need not come
                // back), and the value reads back unchanged.
                byte[] stored = codec.encode(decoded[0]);
                assertThat(stored).as("re-encoded %s", Arrays.toString(b)).hasSameSizeAs(b);
                assertThat(codec.encode(codec.decode(stored))).as("stored %s", Arrays.toString(b)).isEqualTo(stored);
                accepted++;
            } else {
                assertThat(thrown).as("decoding %s", Arrays.toString(b)).isInstanceOf(AttributeDecodeException.class);
                rejected++;
            }
        }
        assertThat(rejected).as("corrupt inputs rejected").isGreaterThan(19_000);
        assertThat(accepted).as("random bytes that happen to be a whole scalar value").isPositive();
    }

    /** Found by CodecFuzzTest.basicCodecValuesRoundTrip (shrunk): "\uD800" was stored as "?" and read back changed. */
    @Test
    void aStringWithAnUnpairedSurrogateIsRefusedWhereItIsSetNotStoredChanged() throws Exception {
        BasicAttributeCodec codec = new BasicAttributeCodec();
        for (String bad : List.of("\uD800", "a\uDC00b", "x\uD83D")) {
            assertThatThrownBy(() -> codec.encode(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
            assertThatThrownBy(() -> codec.encode(List.of(Map.of(bad, 1)))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(codec.decode(codec.encode("emoji \uD83D\uDE00"))).isEqualTo("emoji \uD83D\uDE00");
    }
}
