package dev.readiness.samples.grpc;

import com.google.protobuf.Descriptors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The descriptor built in code declares what echo.proto, the file clients generate from, declares. */
class EchoProtoTest {

    private static final Path PROTO = Path.of(System.getProperty("sample.proto",
            "src/main/proto/readiness/samples/v1/echo.proto"));

    @Test
    void theDescriptorInCodeIsTheProtoFile() throws IOException {
        String proto = Files.readString(PROTO);
        assertThat(proto).contains("package " + EchoProto.PACKAGE + ";").contains("syntax = \"proto3\";")
                .containsPattern("rpc Echo\\(EchoRequest\\) returns \\(EchoReply\\);");
        assertThat(fields(proto, "EchoRequest")).isEqualTo(fields(EchoProto.REQUEST));
        assertThat(fields(proto, "EchoReply")).isEqualTo(fields(EchoProto.REPLY));
        assertThat(EchoProto.ECHO.getFullMethodName()).isEqualTo("readiness.samples.v1.Echo/Echo");
        assertThat(EchoProto.FILE.findServiceByName("Echo").findMethodByName("Echo").getInputType())
                .isEqualTo(EchoProto.REQUEST);
    }

    private static String fields(String proto, String message) {
        Matcher body = Pattern.compile("message " + message + " \\{([^}]*)}").matcher(proto);
        assertThat(body.find()).as(message).isTrue();
        StringBuilder out = new StringBuilder();
        Matcher f = Pattern.compile("(\\w+) (\\w+) = (\\d+);").matcher(body.group(1));
        while (f.find()) {
            out.append(f.group(1)).append(' ').append(f.group(2)).append('=').append(f.group(3)).append('\n');
        }
        return out.toString();
    }

    private static String fields(Descriptors.Descriptor d) {
        StringBuilder out = new StringBuilder();
        for (Descriptors.FieldDescriptor f : d.getFields()) {
            String type = f.getType() == Descriptors.FieldDescriptor.Type.STRING ? "string" : f.getType().name().toLowerCase();
            out.append(type).append(' ').append(f.getName()).append('=').append(f.getNumber()).append('\n');
        }
        return out.toString();
    }
}
