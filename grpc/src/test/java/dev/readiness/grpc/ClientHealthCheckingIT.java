package dev.readiness.grpc;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import io.grpc.CallOptions;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link GrpcChannels#SERVICE_CONFIG} on a real channel over two real servers: round robin over both, and a
 * server whose registry starts draining gets no new call once its Watch says NOT_SERVING, while it still listens.
 */
class ClientHealthCheckingIT {

    private final List<Server> servers = new ArrayList<>();
    private final List<HealthRegistry> registries = new ArrayList<>();
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (Server s : servers) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        registries.forEach(HealthRegistry::close);
    }

    @Test
    void aServerThatStartsDrainingGetsNoNewCallAndNoCallFails() throws Exception {
        for (String name : List.of("a", "b")) {
            HealthRegistry registry = HealthRegistry.create();
            registry.liveness("jvm", () -> CheckResult.up());
            registry.start();
            registry.markStarted();
            registries.add(registry);
            ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Slow")
                    .addMethod(GrpcDrainIT.SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                        out.onNext(name);
                        out.onCompleted();
                    })).build();
            servers.add(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new RegistryHealthService(registry)).addService(echo).build().start());
        }
        List<SocketAddress> addresses = servers.stream()
                .map(s -> (SocketAddress) new InetSocketAddress("127.0.0.1", s.getPort())).toList();
        channel = NettyChannelBuilder.forTarget("fixed:///two").nameResolverFactory(new Fixed(addresses))
                .defaultServiceConfig(GrpcChannels.SERVICE_CONFIG).usePlaintext().build();

        await().atMost(Duration.ofSeconds(10)).until(() -> served(20).keySet().size() == 2);
        registries.get(0).beginDrain(); // readiness NOT_SERVING; the server still listens and serves
        await().atMost(Duration.ofSeconds(5)).until(() -> !served(10).containsKey("a"));
        Map<String, Integer> after = served(100);
        assertThat(after).containsOnlyKeys("b").containsEntry("b", 100);
        assertThat(servers.get(0).isShutdown()).isFalse();
    }

    /** {@code n} calls, each of which must succeed (a failure throws), counted by the server that answered. */
    private Map<String, Integer> served(int n) {
        Map<String, Integer> by = new HashMap<>();
        for (int i = 0; i < n; i++) {
            by.merge(ClientCalls.blockingUnaryCall(channel, GrpcDrainIT.SLEEP,
                    CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "0"), 1, Integer::sum);
        }
        return by;
    }

    private static final class Fixed extends NameResolver.Factory {
        private final List<SocketAddress> addresses;

        Fixed(List<SocketAddress> addresses) {
            this.addresses = addresses;
        }

        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return "two";
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder()
                            .setAddresses(addresses.stream().map(EquivalentAddressGroup::new).toList()).build());
                }

                @Override
                public void shutdown() {
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return "fixed";
        }
    }
}
