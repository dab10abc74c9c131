package dev.readiness.testkit.grpc;

import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextMethodsTest {

    @Test
    void textRoundTripsAsUtf8() throws IOException {
        for (String text : new String[] {"", "hello", "grüße 🙂", "x".repeat(100_000)}) {
            byte[] bytes = TextMethods.TEXT.stream(text).readAllBytes();
            assertThat(bytes).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            assertThat(TextMethods.TEXT.parse(new ByteArrayInputStream(bytes))).isEqualTo(text);
        }
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharactersNotAnError() {
        String parsed = TextMethods.TEXT.parse(new ByteArrayInputStream(new byte[] {(byte) 0xff, 'a'}));
        assertThat(parsed).isEqualTo("\uFFFDa");
    }

    @Test
    void methodsHaveTheirTypeAndName() {
        MethodDescriptor<String, String> unary = TextMethods.unary("demo.Echo/Say");
        assertThat(unary.getType()).isEqualTo(MethodDescriptor.MethodType.UNARY);
        assertThat(unary.getFullMethodName()).isEqualTo("demo.Echo/Say");
        assertThat(unary.getServiceName()).isEqualTo("demo.Echo");
        assertThat(TextMethods.serverStreaming("load.Load/Ticks").getType())
                .isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
        assertThatThrownBy(() -> TextMethods.unary(null)).isInstanceOf(NullPointerException.class);
    }
}
