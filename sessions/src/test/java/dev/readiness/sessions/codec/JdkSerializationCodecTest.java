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
}
