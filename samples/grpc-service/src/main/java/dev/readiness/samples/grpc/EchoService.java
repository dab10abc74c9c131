package dev.readiness.samples.grpc;

import com.google.protobuf.DynamicMessage;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code readiness.samples.v1.Echo}: answers the text after {@code sleep_ms} (0 to 60,000, else
 * {@code INVALID_ARGUMENT}), with {@code served_by} naming this process. A sleeping call holds no thread: it is
 * answered from a timer, so 10,000 slow calls cost 10,000 timer entries, not threads.
 */
final class EchoService {

    static final int MAX_SLEEP_MS = 60_000;

    private final String servedBy;
    private final ScheduledExecutorService timer;

    EchoService(String servedBy, ScheduledExecutorService timer) {
        this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(EchoProto.DESCRIPTOR)
                .addMethod(EchoProto.ECHO, ServerCalls.asyncUnaryCall(this::echo))
                .build();
    }

    private void echo(DynamicMessage request, StreamObserver<DynamicMessage> out) {
        int sleep = (Integer) request.getField(EchoProto.REQUEST_SLEEP_MS);
        if (sleep < 0 || sleep > MAX_SLEEP_MS) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("sleep_ms must be 0 to " + MAX_SLEEP_MS + ", was "
                    + sleep).asRuntimeException());
            return;
        }
        DynamicMessage reply = EchoProto.reply((String) request.getField(EchoProto.REQUEST_TEXT), servedBy);
        if (sleep == 0) {
            out.onNext(reply);
            out.onCompleted();
            return;
        }
        ServerCallStreamObserver<DynamicMessage> call = (ServerCallStreamObserver<DynamicMessage>) out;
        timer.schedule(() -> {
            if (call.isCancelled()) {
                return;
            }
            try {
                out.onNext(reply);
                out.onCompleted();
            } catch (RuntimeException closed) {
                // closed by the drain after its timeout, with a status that says why: nothing left to answer
            }
        }, sleep, TimeUnit.MILLISECONDS);
    }
}
