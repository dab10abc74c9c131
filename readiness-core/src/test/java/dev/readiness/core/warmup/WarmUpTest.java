package dev.readiness.core.warmup;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmUpTest {

    private static WarmUpSettings timeout(Duration d) {
        return WarmUpSettings.builder().timeout(d).build();
    }

    @Test
    void tasksRunInOrderBeforeTheRegistryIsToldTheApplicationStarted() {
        HealthRegistry registry = HealthRegistry.create();
        List<String> ran = new ArrayList<>();
        WarmUp w = WarmUp.builder(WarmUpSettings.defaults())
                .task("a", () -> ran.add("a " + registry.state()))
                .task("b", () -> ran.add("b " + registry.state()))
                .build();
        WarmUpReport report = w.runThenStart(registry);
        registry.start();
        assertThat(ran).containsExactly("a STARTING", "b STARTING");
        assertThat(report.count(WarmUpReport.Result.OK)).isEqualTo(2);
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        assertThat(w.lastReport()).isSameAs(report);
        registry.close();
    }

    @Test
    void aFailingTaskIsCountedAndTheRestStillRun() {
        AtomicInteger after = new AtomicInteger();
        WarmUpReport report = WarmUp.builder(WarmUpSettings.defaults())
                .task("boom", () -> {
                    throw new IllegalStateException("pool not there");
                })
                .task("after", after::incrementAndGet)
                .build().run();
        assertThat(report.tasks()).extracting(WarmUpReport.TaskOutcome::result)
                .containsExactly(WarmUpReport.Result.FAILED, WarmUpReport.Result.OK);
        assertThat(report.tasks().get(0).error()).contains("pool not there");
        assertThat(after).hasValue(1);
    }

    @Test
    void theTimeoutInterruptsTheRunningTaskAndSkipsTheRest() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        long t0 = System.nanoTime();
        WarmUpReport report = WarmUp.builder(timeout(Duration.ofMillis(200)))
                .task("hangs", () -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                })
                .task("never", () -> {
                    throw new AssertionError("ran after the timeout");
                })
                .build().run();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(report.timedOut()).isTrue();
        assertThat(report.tasks()).extracting(WarmUpReport.TaskOutcome::result)
                .containsExactly(WarmUpReport.Result.TIMED_OUT, WarmUpReport.Result.SKIPPED);
        assertThat(interrupted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void disabledRunsNothing() {
        WarmUpReport report = WarmUp.builder(WarmUpSettings.builder().enabled(false).build())
                .task("x", () -> {
                    throw new AssertionError("ran while disabled");
                }).build().run();
        assertThat(report.tasks()).isEmpty();
    }

    @Test
    void aTaskNameIsUsedOnce() {
        WarmUp.Builder b = WarmUp.builder(WarmUpSettings.defaults()).task("x", () -> { });
        assertThatThrownBy(() -> b.task("x", () -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x");
    }

    @Test
    void theBuiltInWarmUpSendsTheRequestsToEveryPath() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, AtomicInteger> hits = Map.of("/a", new AtomicInteger(), "/b", new AtomicInteger());
        server.createContext("/", exchange -> {
            hits.get(exchange.getRequestURI().getPath()).incrementAndGet();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/b") ? 404 : 200, -1);
            exchange.close();
        });
        server.start();
        try {
            WarmUpSettings settings = WarmUpSettings.builder().paths(List.of("/a", "/b?x=1")).requests(7).build();
            WarmUpReport report = WarmUp.builder(settings)
                    .task("http", HttpWarmUp.of(settings, server.getAddress().getPort())).build().run();
            assertThat(report.count(WarmUpReport.Result.OK)).isEqualTo(1);
            assertThat(hits.get("/a")).hasValue(7);
            assertThat(hits.get("/b")).as("a 404 is warm too").hasValue(7);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theBuiltInWarmUpFailsWhenNothingAnswers() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WarmUpSettings settings = WarmUpSettings.builder().paths(List.of("/")).requests(1).build();
        WarmUpReport report = WarmUp.builder(settings).task("http", HttpWarmUp.of(settings, port)).build().run();
        assertThat(report.count(WarmUpReport.Result.FAILED)).isEqualTo(1);
    }

    @Test
    void settingsReadEveryKeyAndRefuseBrokenMissingAndHostileValues() {
        WarmUpSettings s = WarmUpSettings.from(SettingsSource.of(Map.of("readiness.warmup.timeout", "5s",
                "readiness.warmup.paths", "/, /orders?limit=1", "readiness.warmup.requests", "3")));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.paths()).containsExactly("/", "/orders?limit=1");
        assertThat(s.requests()).isEqualTo(3);
        assertThat(WarmUpSettings.from(SettingsSource.none()).paths()).isEmpty();
        Map<String, String> broken = Map.of("readiness.warmup.timeout", "5", "readiness.warmup.requests", "-1",
                "readiness.warmup.paths", "http://evil.example/", "readiness.warmup.enabled", "perhaps");
        broken.forEach((k, v) -> assertThatThrownBy(() -> WarmUpSettings.from(SettingsSource.of(Map.of(k, v))))
                .as("%s=%s", k, v).isInstanceOfSatisfying(ReadinessConfigException.class,
                        e -> assertThat(e.key()).isEqualTo(k)));
        for (String hostile : new String[] {"/a b", "/a\u0000b", "/\r\nHost: x", "/" + "x".repeat(3000), "/ä"}) {
            assertThatThrownBy(() -> WarmUpSettings.from(SettingsSource.of(Map.of("readiness.warmup.paths", hostile))))
                    .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.warmup.paths");
        }
        assertThatThrownBy(() -> HttpWarmUp.of(WarmUpSettings.defaults(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
