package dev.readiness.bench.grpc;

import dev.readiness.testkit.grpc.TextMethods;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service every gRPC load driver calls, with text messages (no protoc needed): {@code load.Load/Sleep} answers
 * {@code served_by} after the milliseconds it is sent; {@code load.Load/Ticks} streams {@code served_by} every
 * 100 ms, as many ticks as it is sent (0: until the client cancels or the server ends it), then completes.
 */
public final class LoadService {

    public static final MethodDescriptor<String, String> SLEEP = TextMethods.unary("load.Load/Sleep");
    public static final MethodDescriptor<String, String> TICKS = TextMethods.serverStreaming("load.Load/Ticks");

    private LoadService() {
    }

    /** The service, answering with {@code servedBy}; sleeps and ticks run on {@code timer}. */
    public static ServerServiceDefinition definition(String servedBy, ScheduledExecutorService timer) {
        return ServerServiceDefinition.builder("load.Load")
                .addMethod(SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    long ms = Long.parseLong(req.trim());
                    Runnable answer = () -> {
                        try {
                            out.onNext(servedBy);
                            out.onCompleted();
                        } catch (RuntimeException closed) {
                            // cancelled by the client or closed by the server's drain
                        }
                    };
                    if (ms <= 0) {
                        answer.run();
                    } else {
                        timer.schedule(answer, ms, TimeUnit.MILLISECONDS);
                    }
                }))
                .addMethod(TICKS, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
                    int count = Integer.parseInt(req.trim());
                    ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) out;
                    AtomicInteger sent = new AtomicInteger();
                    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
                    task.set(timer.scheduleAtFixedRate(() -> {
                        try {
                            if (call.isCancelled()) {
                                task.get().cancel(false);
                                return;
                            }
                            out.onNext(servedBy);
                            if (count > 0 && sent.incrementAndGet() >= count) {
                                out.onCompleted();
                                task.get().cancel(false);
                            }
                        } catch (RuntimeException closed) {
                            ScheduledFuture<?> t = task.get();
                            if (t != null) {
                                t.cancel(false);
                            }
                        }
                    }, 0, 100, TimeUnit.MILLISECONDS));
                }))
                .build();
    }

    /** An id unique to this process. */
    public static String processId(String kind) {
        return kind + "-" + ProcessHandle.current().pid();
    }
}
