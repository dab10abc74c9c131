package dev.readiness.spring.boot.autoconfigure.grpc;

import dev.readiness.grpc.GrpcMetrics;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.testkit.grpc.TextMethods;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Spring Boot application with Spring gRPC's server auto-configuration (shaded Netty on an ephemeral port)
 * and the starter: the server's health service is the registry's, the drain runs before Spring gRPC stops the
 * server, connection age is applied, and a bad readiness.grpc.* value fails the start naming the key.
 */
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
class ReadinessGrpcAutoConfigurationIT {

    static final MethodDescriptor<String, String> SLEEP = TextMethods.unary("test.Slow/Sleep");

    private ConfigurableApplicationContext context;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void theServerAnswersHealthFromTheRegistryAgesConnectionsAndDrainsBeforeSpringGrpcStopsIt() throws Exception {
        context = start(Map.of("readiness.drain.propagation-delay", "1s", "readiness.drain.timeout", "5s",
                "readiness.grpc.max-connection-age", "1s", "readiness.grpc.max-connection-age-grace", "3s"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", context.getBean(GrpcServerLifecycle.class).getPort())
                .usePlaintext().build();

        // Spring Boot's own health service knows no "liveness" or "startup": these answers are the registry's
        for (String service : new String[] {"", "readiness", "liveness", "startup"}) {
            assertThat(check(service)).as("service '%s'", service).isEqualTo(ServingStatus.SERVING);
        }
        assertThatThrownBy(() -> check("orders")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(context.getBean(GrpcSettings.class).maxConnectionAge()).isEqualTo(Duration.ofSeconds(1));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        context.getBean(GrpcMetrics.class).bindTo(meters);

        // connection age: calls for ~3.5 s on connections that live about 1 s, every call answered
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
        while (System.nanoTime() - end < 0) {
            assertThat(call("0")).isEqualTo("slept 0");
            Thread.sleep(50);
        }
        assertThat(meters.get("readiness.grpc.connections.closed.by.age").functionCounter().count())
                .as("connections closed at their age").isGreaterThanOrEqualTo(2);

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
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> call("2000"));
        Thread.sleep(200);

        ConfigurableApplicationContext closing = context;
        CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
        assertThat(watched.poll(3, TimeUnit.SECONDS)).as("Watch sees the drain at once").isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(check("liveness")).isEqualTo(ServingStatus.SERVING);
        assertThat(call("0")).as("a call during the propagation delay is served").isEqualTo("slept 0");
        assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("slept 2000");
        closed.get(30, TimeUnit.SECONDS);
        context = null;
        assertThat(meters.get("readiness.grpc.goaways").tag("reason", "drain").functionCounter().count()).isPositive();
    }

    /**
     * A service whose only server is gRPC gets readiness_saturation from its calls in flight over the concurrency
     * target (grpc-java's default executor has no bound to read), on the management port's /metrics; without the
     * target, no gauge and one WARN naming the key.
     */
    @Test
    void aGrpcOnlyServiceReadsItsSaturationFromItsCallsInFlightOverTheTarget() throws Exception {
        context = start(Map.of("readiness.saturation.concurrency-target", "4"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", context.getBean(GrpcServerLifecycle.class).getPort())
                .usePlaintext().build();
        assertThat(metric("readiness_saturation")).isEqualTo("readiness_saturation{source=\"grpc\"} 0.0");

        java.util.List<CompletableFuture<String>> running = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService clients = Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < 2; i++) {
                running.add(CompletableFuture.supplyAsync(() -> call("3000"), clients));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    metric("readiness_saturation").equals("readiness_saturation{source=\"grpc\"} 0.5"));
            assertThat(check("readiness")).as("health calls are not counted").isEqualTo(ServingStatus.SERVING);
            assertThat(metric("readiness_saturation")).isEqualTo("readiness_saturation{source=\"grpc\"} 0.5");
            for (CompletableFuture<String> r : running) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("slept 3000");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(metric("readiness_saturation")).isEqualTo("readiness_saturation{source=\"grpc\"} 0.0");
    }

    @Test
    void aGrpcOnlyServiceWithoutATargetHasNoSaturationGaugeAndSaysWhichKeyToSet(CapturedOutput output)
            throws Exception {
        context = start(Map.of());
        assertThat(metrics()).contains("readiness_grpc_calls_in_flight").doesNotContain("readiness_saturation");
        assertThat(output.getOut() + output.getErr())
                .containsOnlyOnce("readiness.saturation: gRPC server has no bounded worker pool to read")
                .containsOnlyOnce("set readiness.saturation.concurrency-target");
    }

    private String metrics() throws Exception {
        int port = context.getBean(dev.readiness.health.management.ManagementServer.class).port();
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sample line of {@code name}, or "" when there is none. */
    private String metric(String name) throws Exception {
        return metrics().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).findFirst()
                .orElse("");
    }

    @Test
    void readinessGrpcEnabledFalseLeavesSpringBootsHealthService() {
        context = start(Map.of("readiness.grpc.enabled", "false"));
        assertThat(context.getBeanNamesForType(ReadinessGrpc.class)).isEmpty();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", context.getBean(GrpcServerLifecycle.class).getPort())
                .usePlaintext().build();
        assertThatThrownBy(() -> check("liveness")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aBadGrpcSettingFailsTheStartNamingTheKey() {
        for (String bad : new String[] {"5", "0s", "2d", "forever"}) {
            assertThatThrownBy(() -> start(Map.of("readiness.grpc.max-connection-age", bad))).as(bad)
                    .isInstanceOf(BeanCreationException.class)
                    .satisfies(e -> assertThat(configProblem(e)).as(bad).isNotNull().extracting(Throwable::getMessage)
                            .asString().startsWith("readiness.grpc.max-connection-age=" + bad.trim() + " is invalid"));
        }
        assertThatThrownBy(() -> start(Map.of("readiness.grpc.enabled", "maybe")))
                .satisfies(e -> assertThat(configProblem(e)).as("readiness.grpc.enabled=maybe").isNotNull()
                        .extracting(Throwable::getMessage).asString().contains("readiness.grpc.enabled"));
        assertThatThrownBy(() -> start(Map.of("readiness.grpc.max-connection-age-grace", "soon")))
                .satisfies(e -> assertThat(configProblem(e).getMessage())
                        .startsWith("readiness.grpc.max-connection-age-grace=soon is invalid"));
    }

    private static Throwable configProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.readiness.core.config.ReadinessConfigException) {
                return t;
            }
        }
        return null;
    }

    private ServingStatus check(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private String call(String ms) {
        return ClientCalls.blockingUnaryCall(channel, SLEEP, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), ms);
    }

    private static ConfigurableApplicationContext start(Map<String, String> properties) {
        Map<String, Object> all = new HashMap<>(Map.of("spring.grpc.server.port", "0", "spring.grpc.server.address", "127.0.0.1",
                "readiness.management.port", "0", "readiness.drain.enabled", "true",
                "readiness.drain.exit-code", "jvm", "spring.main.banner-mode", "off"));
        all.putAll(properties);
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(all);
        return app.run();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean(destroyMethod = "shutdownNow")
        ScheduledExecutorService sleeper() {
            return Executors.newSingleThreadScheduledExecutor();
        }

        @Bean
        BindableService slowService(ScheduledExecutorService sleeper) {
            return () -> ServerServiceDefinition.builder("test.Slow")
                    .addMethod(SLEEP, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
                            sleeper.schedule(() -> {
                                out.onNext("slept " + req);
                                out.onCompleted();
                            }, Long.parseLong(req), TimeUnit.MILLISECONDS)))
                    .build();
        }
    }
}
