package dev.readiness.grpc;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.grpc.TextMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real server and client on loopback, drained by GracefulDrain.drain() on a thread of the test. */
class GrpcDrainIT {

    static final MethodDescriptor<String, String> SLEEP = TextMethods.unary("test.Slow/Sleep");
    static final MethodDescriptor<String, String> TICKS = TextMethods.serverStreaming("test.Slow/Ticks");

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private HealthRegistry registry;
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void runningCallsFinishNewCallsAreServedDuringPropagationAndAStreamLeftOpenEndsSayingWhy() throws Exception {
        registry = HealthRegistry.create();
        registry.liveness("jvm", () -> CheckResult.up());
        registry.start();
        registry.markStarted();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
                .propagationDelay(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(3)).build()).build();
        RegistryHealthService health = new RegistryHealthService(registry);
        ServerInterceptor counting = GrpcDrain.interceptor(drain);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health).addService(slow()).intercept(counting).build().start();
        GrpcDrain grpc = GrpcDrain.install(server, counting, health, drain);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();

        CompletableFuture<Status> stream = new CompletableFuture<>();
        ClientCalls.asyncServerStreamingCall(channel.newCall(TICKS, CallOptions.DEFAULT), "", new StreamObserver<>() {
            @Override
            public void onNext(String value) {
            }

            @Override
            public void onError(Throwable t) {
                stream.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                stream.complete(Status.OK);
            }
        });
        CompletableFuture<String> longCall = CompletableFuture.supplyAsync(
                () -> ClientCalls.blockingUnaryCall(channel, SLEEP, CallOptions.DEFAULT, "2500"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> grpc.openCalls() == 2);

        CompletableFuture<DrainReport> report = CompletableFuture.supplyAsync(drain::drain);
        org.awaitility.Awaitility.await().atMost(Duration.ofMillis(900))
                .until(() -> health.status(dev.readiness.core.probe.Probe.READINESS) == ServingStatus.NOT_SERVING);
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build()).getStatus())
                .isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(ClientCalls.blockingUnaryCall(channel, SLEEP, CallOptions.DEFAULT, "0"))
                .as("a call during the propagation delay is served").isEqualTo("slept 0");

        assertThat(longCall.get(10, TimeUnit.SECONDS)).isEqualTo("slept 2500");
        Status ended = stream.get(15, TimeUnit.SECONDS);
        assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ended.getDescription()).contains("drain timeout");
        DrainReport r = report.get(15, TimeUnit.SECONDS);
        assertThat(r.stillRunning()).isEqualTo(1);
        assertThat(server.isTerminated()).isTrue();
    }

    private ServerServiceDefinition slow() {
        return ServerServiceDefinition.builder("test.Slow")
                .addMethod(SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    long ms = Long.parseLong(req);
                    timer.schedule(() -> {
                        out.onNext("slept " + ms);
                        out.onCompleted();
                    }, ms, TimeUnit.MILLISECONDS);
                }))
                .addMethod(TICKS, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) ->
                        timer.scheduleAtFixedRate(() -> {
                            try {
                                out.onNext("tick");
                            } catch (StatusRuntimeException closed) {
                                throw closed; // ends the repetition
                            }
                        }, 0, 100, TimeUnit.MILLISECONDS)))
                .build();
    }
}
