package dev.readiness.grpc;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Real grpc-java server and client on loopback; readiness PINGs a real redis-server that gets SIGSTOPped. */
class RegistryHealthServiceIT {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    private RedisServer redis;
    private HealthRegistry registry;
    private RegistryHealthService health;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        int port = redis.port();
        registry = HealthRegistry.create();
        registry.liveness("jvm", () -> CheckResult.up());
        registry.readiness("redis", (DependencyCheck) timeout -> ping(port, timeout),
                CheckOptions.builder().interval(INTERVAL).timeout(Duration.ofMillis(300)).build());
        registry.start();
        registry.markStarted();
        health = new RegistryHealthService(registry);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(health).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        await().atMost(Duration.ofSeconds(10)).until(() -> check("readiness") == ServingStatus.SERVING);
    }

    @AfterEach
    void stop() throws Exception {
        if (redis != null) {
            redis.resume();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void checkAndWatchFollowReadinessWhileRedisHangsAndLivenessStaysServing() throws Exception {
        LinkedBlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("readiness").build(),
                collect(seen));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        assertThat(check("")).isEqualTo(ServingStatus.SERVING);
        assertThat(check("startup")).isEqualTo(ServingStatus.SERVING);

        redis.pause();
        long paused = System.nanoTime();
        // one interval until the next PING, its timeout, and a generous margin for a busy machine
        assertThat(seen.poll(INTERVAL.toMillis() + 300 + 3_000, TimeUnit.MILLISECONDS))
                .isEqualTo(ServingStatus.NOT_SERVING);
        long tookMs = (System.nanoTime() - paused) / 1_000_000;
        assertThat(tookMs).isLessThan(INTERVAL.toMillis() + 300 + 3_000);
        assertThat(check("readiness")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check("liveness")).isEqualTo(ServingStatus.SERVING);

        redis.resume();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        assertThat(check("readiness")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void watchOfLivenessSeesALivenessCheckFail() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean alive = new java.util.concurrent.atomic.AtomicBoolean(true);
        registry.liveness("flag", (LocalCheck) () -> CheckResult.of(alive.get(), "flag down"),
                CheckOptions.builder().interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(200)).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> check("liveness") == ServingStatus.SERVING);
        LinkedBlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("liveness").build(),
                collect(seen));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        alive.set(false);
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
    }

    @Test
    void drainTurnsReadinessNotServingAtOnceAndLeavesLivenessServing() throws Exception {
        LinkedBlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().build(), collect(seen));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        registry.beginDrain();
        assertThat(seen.poll(2, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check("liveness")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aServiceWeDoNotServeIsNotFound() {
        assertThatThrownBy(() -> check("payments"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("payments");
                });
    }

    @Test
    void aWatchOfAServiceWeDoNotServeSaysServiceUnknown() throws Exception {
        LinkedBlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("payments").build(),
                collect(seen));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
    }

    private ServingStatus check(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static StreamObserver<HealthCheckResponse> collect(LinkedBlockingQueue<ServingStatus> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse value) {
                into.add(value.getStatus());
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static CheckResult ping(int port, Duration timeout) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return CheckResult.of(new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG"),
                    "redis did not answer PONG");
        }
    }
}
