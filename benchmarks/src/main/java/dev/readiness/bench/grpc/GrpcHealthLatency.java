package dev.readiness.bench.grpc;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.grpc.RegistryHealthService;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.testkit.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code grpc.health.v1.Health/Check} latency while a dependency hangs, probed the way the kubelet's native gRPC
 * probe does it: a new connection per probe, one probe at a time at a fixed pace, a 1 s deadline. readiness'
 * {@link RegistryHealthService} with a required readiness check that PINGs a real redis-server (every 1 s, 500 ms
 * timeout), SIGSTOPped for the whole run, against the floor: grpc-java's {@link HealthStatusManager} answering a
 * fixed SERVING (no check at all) on the same machine in the same run.
 */
public final class GrpcHealthLatency {

    /** Latencies in ms, connect plus call; {@code cutOff}: probes that hit the 1 s deadline. */
    public record Result(String target, double p50, double p99, double max, int probes, int cutOff,
                         Map<String, Integer> answers) {

        public String summary() {
            return String.format(Locale.ROOT, "%d probes: p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d cut off at 1 s;"
                    + " answers %s", probes, p50, p99, max, cutOff, answers);
        }
    }

    private GrpcHealthLatency() {
    }

    public static void main(String[] args) throws Exception {
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.println("floor:     " + run(false, probes, 100).summary());
        System.out.println("readiness: " + run(true, probes, 100).summary());
        System.exit(0);
    }

    /** {@code readiness} true: the registry's health with Redis hung; false: the fixed-status floor. */
    public static Result run(boolean readiness, int probes, int perSecond) throws Exception {
        RedisServer redis = null;
        RedisClient client = null;
        HealthRegistry registry = null;
        Server server = null;
        try {
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
            if (readiness) {
                redis = RedisServer.start();
                client = RedisClient.create(redis.uri());
                StatefulRedisConnection<String, String> connection = client.connect();
                registry = HealthRegistry.create();
                registry.liveness("jvm", () -> CheckResult.up());
                registry.readiness("redis", RedisPingCheck.of(connection), CheckOptions.builder()
                        .interval(Duration.ofSeconds(1)).timeout(Duration.ofMillis(500)).build());
                registry.start();
                registry.markStarted();
                b.addService(new RegistryHealthService(registry));
            } else {
                HealthStatusManager fixed = new HealthStatusManager();
                fixed.setStatus("readiness", ServingStatus.SERVING);
                b.addService(fixed.getHealthService());
            }
            server = b.build().start();
            for (int i = 0; i < 50; i++) {
                probe(server.getPort()); // warm-up, not counted
            }
            if (redis != null) {
                redis.pause();
            }
            long[] nanos = new long[probes];
            int cutOff = 0;
            Map<String, Integer> answers = new TreeMap<>();
            long period = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            for (int i = 0; i < probes; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += period;
                long t0 = System.nanoTime();
                String answer = probe(server.getPort());
                nanos[i] = System.nanoTime() - t0;
                if (answer.equals(Status.Code.DEADLINE_EXCEEDED.name())) {
                    cutOff++;
                }
                answers.merge(answer, 1, Integer::sum);
            }
            Arrays.sort(nanos);
            return new Result(readiness ? "readiness" : "floor", ms(nanos, 0.50), ms(nanos, 0.99),
                    nanos[nanos.length - 1] / 1e6, probes, cutOff, answers);
        } finally {
            if (redis != null) {
                redis.resume();
            }
            if (server != null) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (registry != null) {
                registry.close();
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static String probe(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("readiness").build()).getStatus().name();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode().name();
        } finally {
            channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        }
    }

    private static double ms(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
