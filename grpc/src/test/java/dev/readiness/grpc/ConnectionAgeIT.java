package dev.readiness.grpc;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A real server and a client channel on loopback: the server's connection age makes the client reconnect. */
class ConnectionAgeIT {

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientReconnectsAfterTheConnectionAgeWithoutAFailedCall() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        GrpcSettings settings = GrpcSettings.builder().maxConnectionAge(Duration.ofSeconds(1))
                .maxConnectionAgeGrace(Duration.ofSeconds(1)).build();
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Slow")
                .addMethod(GrpcDrainIT.SLEEP, ServerCalls.asyncUnaryCall((String req, io.grpc.stub.StreamObserver<String> out) -> {
                    out.onNext(req);
                    out.onCompleted();
                })).build();
        server = GrpcServers.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)), settings)
                .addService(echo)
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attrs) {
                        connections.incrementAndGet();
                        return attrs;
                    }
                }).build().start();
        channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext().build();

        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int calls = 0;
        while (System.nanoTime() - end < 0) {
            // a failed call throws and fails the test
            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcDrainIT.SLEEP, CallOptions.DEFAULT
                    .withDeadlineAfter(5, TimeUnit.SECONDS), "0")).isEqualTo("0");
            calls++;
            Thread.onSpinWait();
        }
        assertThat(calls).isPositive();
        // 5 s of calls with a 1 s age (0.9..1.1 s with jitter): several connections, never just the first
        assertThat(connections.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theHeadlessChannelBuilderRefusesABlankHost() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GrpcChannels.headless(" ", 9090))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headless Service");
        assertThat(GrpcChannels.headless("echo.default.svc.cluster.local", 9090)).isNotNull();
    }
}
