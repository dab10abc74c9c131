package dev.readiness.testkit.grpc;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * gRPC methods whose messages are UTF-8 text, for tests and load drivers that call a real server without protoc or
 * generated stubs: {@code ClientCalls.blockingUnaryCall(channel, TextMethods.unary("demo.Echo/Say"), options, "hi")}.
 * Needs {@code io.grpc:grpc-api} on the class path (optional for the rest of the testkit).
 */
public final class TextMethods {

    /** UTF-8 text both ways. */
    public static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private TextMethods() {
    }

    /** A unary method, {@code service/method}. */
    public static MethodDescriptor<String, String> unary(String fullMethodName) {
        return of(MethodDescriptor.MethodType.UNARY, fullMethodName);
    }

    /** A server-streaming method, {@code service/method}. */
    public static MethodDescriptor<String, String> serverStreaming(String fullMethodName) {
        return of(MethodDescriptor.MethodType.SERVER_STREAMING, fullMethodName);
    }

    private static MethodDescriptor<String, String> of(MethodDescriptor.MethodType type, String fullMethodName) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(fullMethodName)
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }
}
