package dev.readiness.grpc;

import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationMetrics;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real grpc-java server on loopback with real clients: its saturation read through the {@code readiness.saturation}
 * gauge while calls are held, from a bounded executor (blocking handlers) and from the calls in flight (asynchronous
 * handlers on grpc-java's default executor).
 */
class GrpcSaturationIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<CompletableFuture<String>> calls = new ArrayList<>();
    /** The clients' blocking calls and the asynchronous handlers (the common pool has one thread on 2 cores). */
    private final java.util.concurrent.ExecutorService threads = Executors.newCachedThreadPool();
    private Server server;
    private ThreadPoolExecutor pool;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        threads.shutdownNow();
    }

    @Test
    void aBoundedExecutorReadsZeroIdleOneWithEveryThreadHeldAndTwoWithAsManyCallsWaiting() throws Exception {
        pool = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        GrpcStats stats = new GrpcStats(GrpcSettings.defaults());
        server = stats.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .executor(pool).addService(blocking()).build().start();
        Saturation saturation = GrpcSaturation.executor(pool);
        new SaturationMetrics(saturation).bindTo(meters);
        assertThat(saturation.source()).isEqualTo("grpc-executor");
        assertThat(saturation).hasToString("GrpcSaturation[grpc-executor, threads=4]");
        ManagedChannel channel = channel();

        // one call that ends: the pool is idle again afterwards
        release.countDown();
        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcDrainIT.SLEEP, CallOptions.DEFAULT, "x"))
                .isEqualTo("released");
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc-executor") == 0);

        CountDownLatch hold = new CountDownLatch(1);
        held = hold;
        call(channel, 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc-executor") == 1);
        call(channel, 4);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc-executor") >= 2);
        assertThat(gauge("grpc-executor")).isEqualTo(2);
        // An interceptor sees a call only once a thread starts it: the 4 waiting for the executor are not in flight
        // yet, which is why a bounded executor is read from its own queue.
        assertThat(stats.callsInFlight()).isEqualTo(4);

        hold.countDown();
        for (CompletableFuture<String> c : calls) {
            assertThat(c.get(5, TimeUnit.SECONDS)).isEqualTo("released");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc-executor") == 0);
    }

    @Test
    void callsInFlightAndOpenStreamsOverTheTargetOnGrpcJavasDefaultExecutor() throws Exception {
        GrpcStats stats = new GrpcStats(GrpcSettings.defaults());
        server = stats.install(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .addService(asynchronous()).build().start();
        Saturation saturation = GrpcSaturation.inFlight(stats, 4);
        new SaturationMetrics(saturation).bindTo(meters);
        assertThat(saturation.source()).isEqualTo("grpc");
        assertThat(saturation).hasToString("GrpcSaturation[grpc, target=4]");
        assertThat(gauge("grpc")).isZero();

        ManagedChannel channel = channel();
        call(channel, 2);
        ClientCalls.asyncServerStreamingCall(channel.newCall(GrpcDrainIT.TICKS, CallOptions.DEFAULT), "", new Ignore());
        ClientCalls.asyncServerStreamingCall(channel.newCall(GrpcDrainIT.TICKS, CallOptions.DEFAULT), "", new Ignore());
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc") == 1);
        call(channel, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc") == 1.5);

        release.countDown();
        for (CompletableFuture<String> c : calls) {
            assertThat(c.get(5, TimeUnit.SECONDS)).isEqualTo("released");
        }
        // the two streams stay open
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("grpc") == 0.5);
    }

    @Test
    void executorsWithoutABoundAreRefusedNamingWhatToUseInstead() {
        assertThat(GrpcSaturation.supports(Executors.newCachedThreadPool())).isFalse();
        assertThat(GrpcSaturation.supports(ForkJoinPool.commonPool())).isFalse();
        assertThat(GrpcSaturation.supports(Runnable::run)).isFalse();
        assertThat(GrpcSaturation.supports(null)).isFalse();
        ThreadPoolExecutor cached = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>());
        assertThatThrownBy(() -> GrpcSaturation.executor(cached))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bound on its threads")
                .hasMessageContaining("readiness.saturation.concurrency-target");
        // a core of 0 with an unbounded queue runs one thread at a time, but says nothing of the size it was meant for
        ThreadPoolExecutor noCore = new ThreadPoolExecutor(0, 8, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        assertThat(GrpcSaturation.supports(noCore)).isFalse();
        cached.shutdown();
        noCore.shutdown();
    }

    @Test
    void aBoundedQueueLetsThePoolGrowToItsMaximumAndAnUnboundedOneDoesNot() {
        ThreadPoolExecutor growing = new ThreadPoolExecutor(2, 6, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
        ThreadPoolExecutor fixed = new ThreadPoolExecutor(3, 9, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        assertThat(GrpcSaturation.executor(growing)).hasToString("GrpcSaturation[grpc-executor, threads=6]");
        assertThat(GrpcSaturation.executor(fixed)).hasToString("GrpcSaturation[grpc-executor, threads=3]");
        assertThat(GrpcSaturation.executor(fixed).value()).isZero();
        growing.shutdown();
        fixed.shutdownNow();
        assertThat(GrpcSaturation.executor(fixed).value()).isZero(); // a stopped pool reads idle, never throws
    }

    @Test
    void aTargetBelowOneIsRefused() {
        GrpcStats stats = new GrpcStats(GrpcSettings.defaults());
        for (int target : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> GrpcSaturation.inFlight(stats, target))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("concurrency target must be at least 1: " + target);
        }
        assertThatThrownBy(() -> GrpcSaturation.inFlight(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> GrpcSaturation.executor(null)).isInstanceOf(NullPointerException.class);
    }

    private volatile CountDownLatch held = release;

    private void call(ManagedChannel channel, int n) {
        for (int i = 0; i < n; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> ClientCalls.blockingUnaryCall(channel, GrpcDrainIT.SLEEP,
                    CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "x"), threads));
        }
    }

    private ManagedChannel channel() {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    /** A handler that holds the executor's thread until released, as one blocked on a database would. */
    private ServerServiceDefinition blocking() {
        return ServerServiceDefinition.builder("test.Slow")
                .addMethod(GrpcDrainIT.SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                        answerOnce(held, out)))
                .build();
    }

    /** Handlers that hold no thread of the server's while they wait. */
    private ServerServiceDefinition asynchronous() {
        return ServerServiceDefinition.builder("test.Slow")
                .addMethod(GrpcDrainIT.SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                        CompletableFuture.runAsync(() -> answerOnce(release, out), threads)))
                .addMethod(GrpcDrainIT.TICKS, ServerCalls.asyncServerStreamingCall((String req,
                        StreamObserver<String> out) -> out.onNext("open")))
                .build();
    }

    /** Waits for {@code latch} on the calling thread, then answers "released". */
    private static void answerOnce(CountDownLatch latch, StreamObserver<String> out) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.onNext("released");
        out.onCompleted();
    }

    private double gauge(String source) {
        return meters.get(SaturationMetrics.NAME).tag("source", source).gauge().value();
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
