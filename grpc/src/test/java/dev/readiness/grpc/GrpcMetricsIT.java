package dev.readiness.grpc;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The meters of a real server with real clients on loopback, read from a SimpleMeterRegistry. */
class GrpcMetricsIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<StreamObserver<String>> streams = new ArrayList<>();
    private HealthRegistry registry;
    private RegistryHealthService health;
    private Server server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (health != null) {
            health.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void callsStreamsConnectionsHealthChangesAndTheDrainsGoAwaysAreCounted() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        registry = HealthRegistry.create();
        registry.liveness("jvm", () -> CheckResult.up());
        registry.readiness("flag", (DependencyCheck) timeout -> CheckResult.of(up.get(), "flag is down"),
                CheckOptions.builder().interval(Duration.ofMillis(100)).build());
        registry.start();
        registry.markStarted();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
                .propagationDelay(Duration.ZERO).timeout(Duration.ofSeconds(2)).build()).build();
        health = new RegistryHealthService(registry);
        GrpcStats stats = new GrpcStats(GrpcSettings.defaults()).watch(health).watch(drain);
        new GrpcMetrics(stats).bindTo(meters);
        ServerInterceptor counting = GrpcDrain.interceptor(drain);
        server = stats.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .addService(health).addService(service()).intercept(counting).build().start();
        GrpcDrain.install(server, counting, health, drain);
        await().atMost(Duration.ofSeconds(5)).until(() -> health.status(dev.readiness.core.probe.Probe.READINESS)
                == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        double servingBefore = counter("readiness.grpc.health.changes", "service", "readiness", "status", "serving");

        ManagedChannel a = channel();
        ManagedChannel b = channel();
        CompletableFuture<String> blocked = CompletableFuture.supplyAsync(
                () -> ClientCalls.blockingUnaryCall(a, GrpcDrainIT.SLEEP, CallOptions.DEFAULT, "block"));
        ClientCalls.asyncServerStreamingCall(b.newCall(GrpcDrainIT.TICKS, CallOptions.DEFAULT), "", new Ignore());
        ClientCalls.asyncServerStreamingCall(b.newCall(GrpcDrainIT.TICKS, CallOptions.DEFAULT), "", new Ignore());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge("readiness.grpc.calls.in.flight")).isEqualTo(1);
            assertThat(gauge("readiness.grpc.streams.open")).isEqualTo(2);
            assertThat(gauge("readiness.grpc.connections.open")).isEqualTo(2);
        });

        up.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                counter("readiness.grpc.health.changes", "service", "readiness", "status", "not_serving") == 1);
        up.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                counter("readiness.grpc.health.changes", "service", "readiness", "status", "serving") == servingBefore + 1);
        assertThat(counter("readiness.grpc.health.changes", "service", "liveness", "status", "not_serving")).isZero();

        release.countDown();
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("released");
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("readiness.grpc.calls.in.flight") == 0);
        assertThat(counter("readiness.grpc.goaways", "reason", "drain")).isZero();

        drain.drain(); // the streams never end by themselves: the drain timeout closes them
        assertThat(counter("readiness.grpc.goaways", "reason", "drain")).isEqualTo(2);
        assertThat(counter("readiness.grpc.goaways", "reason", "max-connection-age")).isZero();
        assertThat(counter("readiness.grpc.connections.closed.by.age")).isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(gauge("readiness.grpc.streams.open")).isZero();
            assertThat(gauge("readiness.grpc.connections.open")).isZero();
        });
    }

    @Test
    void connectionsClosedAtTheirAgeAreCountedWithTheirGoAways() throws Exception {
        GrpcSettings settings = GrpcSettings.builder().maxConnectionAge(Duration.ofSeconds(1))
                .maxConnectionAgeGrace(Duration.ofSeconds(1)).build();
        GrpcStats stats = new GrpcStats(settings);
        new GrpcMetrics(stats).bindTo(meters);
        server = stats.install(GrpcServers.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                settings)).addService(service()).build().start();
        release.countDown();
        ManagedChannel c = channel();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() - end < 0) {
            assertThat(ClientCalls.blockingUnaryCall(c, GrpcDrainIT.SLEEP, CallOptions.DEFAULT
                    .withDeadlineAfter(5, TimeUnit.SECONDS), "x")).isEqualTo("released");
            Thread.sleep(20);
        }
        // 4 s of calls on connections that live 0.9..1.1 s, closed at most 1 s of grace later
        assertThat(counter("readiness.grpc.connections.closed.by.age")).isGreaterThanOrEqualTo(2);
        assertThat(counter("readiness.grpc.goaways", "reason", "max-connection-age"))
                .isEqualTo(counter("readiness.grpc.connections.closed.by.age"));
        assertThat(counter("readiness.grpc.goaways", "reason", "drain")).isZero();
        // the client's connection, and the aged one while its grace runs; none for a moment between the two
        assertThat(gauge("readiness.grpc.connections.open")).isLessThanOrEqualTo(2);
        // An idle channel whose connection aged out does not reconnect until its next call: a call opens one.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ClientCalls.blockingUnaryCall(c, GrpcDrainIT.SLEEP, CallOptions.DEFAULT
                    .withDeadlineAfter(5, TimeUnit.SECONDS), "x");
            return gauge("readiness.grpc.connections.open") >= 1;
        });
    }

    @Test
    void aConnectionTheClientClosesEarlyIsNotCountedAsAged() throws Exception {
        GrpcStats stats = new GrpcStats(GrpcSettings.defaults());
        new GrpcMetrics(stats).bindTo(meters);
        server = stats.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .addService(service()).build().start();
        release.countDown();
        ManagedChannel c = channel();
        assertThat(ClientCalls.blockingUnaryCall(c, GrpcDrainIT.SLEEP, CallOptions.DEFAULT, "x")).isEqualTo("released");
        c.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("readiness.grpc.connections.open") == 0);
        assertThat(counter("readiness.grpc.connections.closed.by.age")).isZero();
    }

    private ManagedChannel channel() {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    private ServerServiceDefinition service() {
        return ServerServiceDefinition.builder("test.Slow")
                .addMethod(GrpcDrainIT.SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                        CompletableFuture.runAsync(() -> {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.onNext("released");
                            out.onCompleted();
                        })))
                .addMethod(GrpcDrainIT.TICKS, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
                    synchronized (streams) {
                        streams.add(out);
                    }
                    out.onNext("open");
                }))
                .build();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double counter(String name, String... tags) {
        return meters.get(name).tags(tags).functionCounter().count();
    }

    private static final class Ignore implements StreamObserver<String> {
        @Override
        public void onNext(String value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
