package dev.readiness.samples.grpc;

import com.google.protobuf.DynamicMessage;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.process.ForkedJvm;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The sample's jar as a real process, probed the way the kubelet's native gRPC probes and a client meet it: a
 * real gRPC health client, the Echo service and server reflection, a real redis-server SIGSTOPped (degraded:
 * readiness stays SERVING), then a real SIGTERM: NOT_SERVING on a Watch stream at once, a running call finished,
 * exit 0.
 */
class GrpcServiceIT {

    private static final Path JAR = Path.of(System.getProperty("sample.jar", "target/grpc-service.jar"));

    private RedisServer redis;
    private ForkedJvm service;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.resume();
            redis.close();
        }
    }

    /**
     * The jar a team ships holds no development Redis and no test code; started without a Redis it says so in one
     * WARN line naming the setting, and serves: its degraded {@code redis} check is DOWN with that reason.
     */
    @Test
    void theJarHoldsNoDevelopmentRedisAndWithoutARedisServesWithTheCheckSayingWhy() throws Exception {
        assertThat(JAR).as("the sample's jar (mvn -pl samples/grpc-service -am package)").exists();
        List<String> entries;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
            entries = jar.stream().map(java.util.jar.JarEntry::getName).toList();
        }
        assertThat(entries).hasSizeGreaterThan(100);
        for (String f : List.of("dev/readiness/testkit/", "redis/embedded/", "redis-server", "org/junit/",
                "org/assertj/", "org/awaitility/", "DevRedis", "DevGrpcService")) {
            assertThat(entries).as("entries of %s naming %s", JAR, f).noneMatch(e -> e.contains(f));
        }
        service = ForkedJvm.start("grpc-service-no-redis", JAR.toString(), GrpcService.class.getName(), Map.of(
                "GRPC_PORT", "0", "READINESS_MANAGEMENT_PORT", "0", "READINESS_MANAGEMENT_DETAILS", "true"),
                List.of("-Xmx128m"), false);
        String started = service.await("grpc-service started: gRPC localhost:(\\d+ .*)", Duration.ofSeconds(60));
        int port = Integer.parseInt(started.substring(0, started.indexOf(' ')));
        int management = Integer.parseInt(service.await("probes http://localhost:(\\d+)/livez", Duration.ofSeconds(1)));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        await().atMost(Duration.ofSeconds(20)).until(() -> check("readiness") == ServingStatus.SERVING);
        java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + management
                        + "/readyz?verbose")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\":{\"status\":\"DOWN\"").contains("READINESS_SESSIONS_REDIS_URI");
        // One WARN line at start; the registry's own line for the DOWN check may quote the reason too.
        assertThat(service.lines()).filteredOn(l -> l.contains("WARN") && l.contains("no Redis configured")
                && l.contains("readiness check 'redis' stays DOWN")).hasSize(1);
        assertThat(service.lines()).noneMatch(l -> l.contains("development Redis"));
        // no concurrency target: no saturation gauge, and one WARN naming the key
        assertThat(metrics(management)).contains("readiness_grpc_calls_in_flight").doesNotContain("readiness_saturation");
        assertThat(service.lines()).filteredOn(l -> l.contains("WARN")
                && l.contains("set readiness.saturation.concurrency-target")).hasSize(1);
    }

    @Test
    void servesHealthEchoAndReflectionStaysServingWhileRedisHangsAndDrainsOnSigterm() throws Exception {
        assertThat(JAR).as("the sample's jar (mvn -pl samples/grpc-service -am package)").exists();
        redis = RedisServer.start();
        Path config = Files.createTempDirectory("grpc-service-config");
        Files.writeString(config.resolve("greeting"), "hello");
        service = ForkedJvm.start("grpc-service", JAR.toString(), GrpcService.class.getName(), Map.of(
                "GRPC_PORT", "0", "READINESS_MANAGEMENT_PORT", "0",
                "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", config.toString(),
                "READINESS_CHECKS_INTERVAL", "300ms", "READINESS_CHECKS_TIMEOUT", "200ms",
                "READINESS_DRAIN_PROPAGATION_DELAY", "1s", "READINESS_DRAIN_TIMEOUT", "10s",
                "READINESS_SATURATION_CONCURRENCY_TARGET", "4"),
                List.of("-Xmx128m"), false);
        String started = service.await("grpc-service started: gRPC localhost:(\\d+ .*)", Duration.ofSeconds(60));
        int port = Integer.parseInt(started.substring(0, started.indexOf(' ')));
        int management = Integer.parseInt(service.await("probes http://localhost:(\\d+)/livez", Duration.ofSeconds(1)));
        String servedBy = service.await("served_by (\\S+)", Duration.ofSeconds(1));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);

        for (String s : List.of("", "readiness", "liveness", "startup")) {
            assertThat(check(s)).as("service '%s'", s).isEqualTo(ServingStatus.SERVING);
        }
        assertThatThrownBy(() -> health.check(HealthCheckRequest.newBuilder().setService("orders").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));

        DynamicMessage reply = echo("hello", 0);
        assertThat(reply.getField(EchoProto.REPLY_TEXT)).isEqualTo("hello");
        assertThat(reply.getField(EchoProto.REPLY_SERVED_BY)).isEqualTo(servedBy);
        for (int bad : new int[] {-1, EchoService.MAX_SLEEP_MS + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> echo("x", bad)).as("sleep_ms %d", bad)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("sleep_ms must be 0 to 60000, was " + bad);
                    });
        }
        assertThat(reflectedServices()).contains(EchoProto.SERVICE_NAME, "grpc.health.v1.Health");

        // Redis hangs: the check goes DOWN (degraded), readiness stays SERVING, liveness too, and probes answer.
        redis.pause();
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics(management).lines()
                .anyMatch(l -> l.startsWith("readiness_check_degraded{") && l.contains("check=\"redis\"") && l.endsWith(" 1.0")));
        assertThat(check("readiness")).isEqualTo(ServingStatus.SERVING);
        assertThat(check("liveness")).isEqualTo(ServingStatus.SERVING);
        redis.resume();

        LinkedBlockingQueue<ServingStatus> watched = new LinkedBlockingQueue<>();
        ClientCalls.asyncServerStreamingCall(channel.newCall(HealthGrpc.getWatchMethod(), CallOptions.DEFAULT),
                HealthCheckRequest.newBuilder().setService("readiness").build(), new StreamObserver<>() {
                    @Override
                    public void onNext(HealthCheckResponse r) {
                        watched.add(r.getStatus());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        assertThat(watched.poll(5, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        CompletableFuture<DynamicMessage> running = CompletableFuture.supplyAsync(() -> echo("long", 2500));
        Thread.sleep(200); // the call reaches the server before the signal
        // one call in flight of the 4 one instance is sized for; the Watch stream is health, not counted
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics(management).lines()
                .anyMatch(l -> l.equals("readiness_saturation{source=\"grpc\"} 0.25")));

        service.signal("TERM");
        assertThat(watched.poll(2, TimeUnit.SECONDS)).as("Watch sees the drain at once").isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check("liveness")).isEqualTo(ServingStatus.SERVING);
        assertThat(echo("during propagation", 0).getField(EchoProto.REPLY_TEXT)).isEqualTo("during propagation");
        assertThat(running.get(15, TimeUnit.SECONDS).getField(EchoProto.REPLY_TEXT)).isEqualTo("long");
        assertThat(service.awaitExit(Duration.ofSeconds(30))).as(String.join("\n", service.lines())).isZero();
        assertThat(service.count("drain phase 4/4 stopped")).isEqualTo(1);
        assertThat(service.count("exiting with status 0 after SIGTERM")).isEqualTo(1);
    }

    private ServingStatus check(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private DynamicMessage echo(String text, int sleepMs) {
        return ClientCalls.blockingUnaryCall(channel, EchoProto.ECHO,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), EchoProto.request(text, sleepMs));
    }

    private List<String> reflectedServices() throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        names.complete(r.getListServicesResponse().getServiceList().stream()
                                .map(s -> s.getName()).toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        List<String> result = names.get(5, TimeUnit.SECONDS);
        requests.onCompleted();
        return result;
    }

    private static String metrics(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
