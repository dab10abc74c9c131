package dev.readiness.sessions.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdkSerializationCodecTest {

    public static class Allowed implements Serializable {
        private static final long serialVersionUID = 1L;
        public String name = "ada";
    }

    /** Records whether its readObject ever ran: a gadget must be rejected before that. */
    public static class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean readObjectRan;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            readObjectRan = true;
            in.defaultReadObject();
        }
    }

    final JdkSerializationCodec codec = new JdkSerializationCodec(new ClassAllowlist(List.of(Allowed.class.getName())));

    @Test
    void allowedClassesAndJdkValuesRoundTrip() throws Exception {
        assertThat(((Allowed) codec.decode(codec.encode(new Allowed()))).name).isEqualTo("ada");
        assertThat(codec.decode(codec.encode(new ArrayList<>(List.of(1, "two"))))).isEqualTo(List.of(1, "two"));
    }

    @Test
    void aClassOutsideTheAllowlistIsRejectedBeforeItsReadObjectRuns() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Gadget());
        }
        Gadget.readObjectRan = false;
        assertThatThrownBy(() -> codec.decode(bytes.toByteArray())).isInstanceOf(AttributeDecodeException.class)
                .hasMessageContaining("rejected");
        assertThat(Gadget.readObjectRan).isFalse();
    }

    @Test
    void aChangedSerialVersionUidIsADecodeError() throws Exception {
        byte[] stream = codec.encode(new Allowed());
        byte[] name = Allowed.class.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(stream, name) + name.length;
        stream[at + 7] = 2; // serialVersionUID 1 -> 2
        assertThatThrownBy(() -> codec.decode(stream)).isInstanceOf(AttributeDecodeException.class)
                .hasMessageContaining("incompatible");
    }

    @Test
    void corruptBytesAndNonSerializableValuesGiveClearErrors() {
        assertThatThrownBy(() -> codec.decode(new byte[] {1, 2, 3})).isInstanceOf(AttributeDecodeException.class);
        assertThatThrownBy(() -> codec.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not Serializable");
    }

    @Test
    void allowlistPatternsFollowObjectInputFilterSyntax() {
        ClassAllowlist list = new ClassAllowlist(List.of("com.a.One", "com.b.*", "com.c.**"));
        assertThat(list.allows("com.a.One")).isTrue();
        assertThat(list.allows("com.a.Two")).isFalse();
        assertThat(list.allows("com.b.X")).isTrue();
        assertThat(list.allows("com.b.sub.X")).isFalse();
        assertThat(list.allows("com.c.sub.deep.X")).isTrue();
        for (String bad : new String[] {"", "!com.x.*", "a;b", "maxdepth=5", "a/b"}) {
            assertThatThrownBy(() -> new ClassAllowlist(List.of(bad))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
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

    @Test
    void aDisallowedClassInsideAnAllowedContainerIsRefusedBeforeItsReadObjectRuns() throws Exception {
        Gadget.readObjectRan = false;
        JdkSerializationCodec writer = new JdkSerializationCodec(new ClassAllowlist(List.of("dev.readiness.**")));
        java.util.HashMap<String, Object> map = new java.util.HashMap<>();
        map.put("inner", new ArrayList<>(List.of("fine", new Gadget())));
        for (Object hostile : List.of(new ArrayList<>(List.of(1, new Gadget())), map, new Object[] {new Gadget()},
                new java.util.LinkedList<>(List.of(new Allowed(), new Gadget())))) {
            byte[] bytes = writer.encode(hostile);
            assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(AttributeRefusedException.class)
                    .hasMessageContaining(Gadget.class.getName()).hasMessageContaining("allowlist")
                    .satisfies(e -> assertThat(((AttributeRefusedException) e).reason()).isEqualTo("class-not-allowed"));
        }
        assertThat(Gadget.readObjectRan).isFalse();
        // The same containers holding only allowed classes decode.
        assertThat(codec.decode(codec.encode(new ArrayList<>(List.of(1, new Allowed()))))).asList().hasSize(2);
    }

    @Test
    void aGraphNestedDeeperThanTheBoundIsRefusedAsTooDeep() throws Exception {
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < JdkSerializationCodec.MAX_DEPTH + 5; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        byte[] bytes = codec.encode(deep);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(AttributeRefusedException.class)
                .satisfies(e -> assertThat(((AttributeRefusedException) e).reason()).isEqualTo("too-deep"));
    }
}
