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

    @Test
    void jsonNestedDeeperThanTheBoundIsRefusedOnReadAndOnWrite() throws Exception {
        JsonAttributeCodec json = new JsonAttributeCodec(new ClassAllowlist(List.of()));
        String within = "[".repeat(JsonAttributeCodec.MAX_DEPTH) + "]".repeat(JsonAttributeCodec.MAX_DEPTH);
        assertThat(json.decode(("{\"t\":\"java.util.ArrayList\",\"v\":" + within + "}").getBytes())).asList().hasSize(1);
        String hostile = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> json.decode(("{\"t\":\"java.util.ArrayList\",\"v\":" + hostile + "}").getBytes()))
                .isInstanceOf(AttributeRefusedException.class).hasMessageContaining("deeper than 32")
                .satisfies(e -> assertThat(((AttributeRefusedException) e).reason()).isEqualTo("too-deep"));
        java.util.ArrayList<Object> deep = new java.util.ArrayList<>();
        java.util.ArrayList<Object> at = deep;
        for (int i = 0; i < JsonAttributeCodec.MAX_DEPTH; i++) {
            java.util.ArrayList<Object> next = new java.util.ArrayList<>();
            at.add(next);
            at = next;
        }
        assertThatThrownBy(() -> json.encode(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deeper than 32");
    }

    @Test
    void aClassNamedInsideAnAllowedContainerIsNeverInstantiated() throws Exception {
        JsonAttributeCodec json = new JsonAttributeCodec(new ClassAllowlist(List.of()));
        Object v = json.decode(("{\"t\":\"java.util.ArrayList\",\"v\":[{\"@class\":\"java.lang.ProcessBuilder\","
                + "\"t\":\"java.lang.ProcessBuilder\",\"command\":[\"sh\"]}]}").getBytes());
        assertThat(v).asList().singleElement().isInstanceOf(java.util.Map.class);
    }
}
