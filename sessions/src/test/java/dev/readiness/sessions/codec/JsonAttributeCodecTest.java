package dev.readiness.sessions.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonAttributeCodecTest {

    public record Cart(String owner, List<String> items) {
    }

    final JsonAttributeCodec codec = new JsonAttributeCodec(new ClassAllowlist(List.of(Cart.class.getName())));

    @Test
    void allowedRecordsAndJdkValuesRoundTrip() throws Exception {
        Cart cart = new Cart("ada", List.of("book"));
        assertThat(codec.decode(codec.encode(cart))).isEqualTo(cart);
        assertThat(codec.decode(codec.encode("text"))).isEqualTo("text");
        assertThat(codec.decode(codec.encode(42))).isEqualTo(42);
    }

    @Test
    void aStoredTypeOutsideTheAllowlistIsNeverInstantiated() {
        byte[] planted = "{\"t\":\"java.io.File\",\"v\":\"/etc/passwd\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decode(planted)).isInstanceOf(AttributeDecodeException.class)
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> codec.encode(new java.io.File("/tmp"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowlist");
    }

    @Test
    void jsonThatNoLongerFitsTheClassOrIsCorruptIsADecodeError() {
        byte[] changed = ("{\"t\":\"" + Cart.class.getName() + "\",\"v\":{\"owner\":{\"nested\":1},\"items\":5}}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decode(changed)).isInstanceOf(AttributeDecodeException.class);
        for (String bad : new String[] {"", "{", "[1]", "{\"v\":1}", "{\"t\":5,\"v\":1}", "\u0000\u0001"}) {
            assertThatThrownBy(() -> codec.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(AttributeDecodeException.class);
        }
    }
}
