package dev.readiness.core.drain;

import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.check.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GracefulDrainTest {

    private final AtomicLong now = new AtomicLong();
    private final HealthRegistry registry = HealthRegistry.builder().ticker(now::get).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Integer> halts = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        registry.close();
    }

    /** A sleeper that never sleeps: it records what it was asked and moves the fake clock. */
    private GracefulDrain.Sleeper fakeSleeper() {
        return d -> {
            events.add("sleep " + d.toMillis() + "ms, readiness " + registry.report(Probe.READINESS).status()
                    + ", liveness " + registry.report(Probe.LIVENESS).status());
            now.addAndGet(d.toNanos());
        };
    }

    private GracefulDrain.Builder drain(DrainSettings settings) {
        registry.start();
        registry.markStarted();
        return GracefulDrain.builder(registry).settings(settings).sleeper(fakeSleeper()).halter(halts::add);
    }

    private DrainableServer server(GracefulDrain[] ref) {
        return new DrainableServer() {
            @Override
            public void stopAccepting() {
                events.add("stop accepting, connection close " + ref[0].tracker().closeConnections());
            }

            @Override
            public void stop() {
                events.add("server stopped");
            }
        };
    }

    @Test
    void drainRunsThePhasesInOrderWithReadinessDownAndLivenessUp() {
        assertThat(registry.state()).isEqualTo(AvailabilityState.STARTING);
        GracefulDrain[] ref = new GracefulDrain[1];
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        ref[0] = d;
        d.server(server(ref));
        d.register("pool", () -> events.add("close pool"));
        d.register("client", () -> events.add("close client"));
        List<String> phases = new ArrayList<>();
        d.addListener((prev, next, took) -> phases.add(prev + "->" + next + " " + took.toMillis() + "ms"));

        DrainReport report = d.drain();

        assertThat(events).containsExactly(
                "sleep 5000ms, readiness DOWN, liveness UP",
                "stop accepting, connection close true",
                "server stopped",
                "close client",
                "close pool");
        assertThat(phases).containsExactly("SERVING->PROPAGATING 0ms", "PROPAGATING->DRAINING 5000ms",
                "DRAINING->CLOSING 0ms", "CLOSING->STOPPED 0ms");
        assertThat(registry.state()).isEqualTo(AvailabilityState.STOPPED);
        assertThat(registry.report(Probe.LIVENESS).status()).isEqualTo(Status.UP);
        assertThat(report.clean()).isTrue();
        assertThat(report.propagation()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.phase()).isEqualTo(DrainPhase.STOPPED);
        assertThat(halts).as("a programmatic drain never exits the process").isEmpty();
    }

    @Test
    void drainWithNoTrafficEndsRightAfterThePropagationDelay() {
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        DrainReport report = d.drain();
        assertThat(report.total()).isEqualTo(Duration.ofSeconds(5));
        assertThat(report.requests()).isZero();
        assertThat(report.accepted()).isZero();
        assertThat(report.stillRunning()).isZero();
    }

    @Test
    void drainWaitsForInFlightRequestsToFinish() throws Exception {
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        InFlightTracker.Request slow = d.tracker().begin();
        CompletableFuture<DrainReport> running = CompletableFuture.supplyAsync(d::drain);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> d.phase() == DrainPhase.DRAINING);
        assertThat(running).isNotDone();
        slow.end();
        DrainReport report = running.get(10, TimeUnit.SECONDS);
        assertThat(report.stillRunning()).isZero();
        assertThat(report.accepted()).isEqualTo(1);
        assertThat(report.completed()).isEqualTo(1);
    }

    @Test
    void drainTimeoutExceededReportsTheCountAndTheOldestAge() {
        GracefulDrain d = drain(DrainSettings.builder().timeout(Duration.ofMillis(100)).build()).build();
        d.tracker().begin();
        d.tracker().begin();
        d.register("pool", () -> events.add("close pool"));

        DrainReport report = d.drain();

        assertThat(report.stillRunning()).isEqualTo(2);
        // the fake clock moved 5 s during the propagation delay; the requests began before it
        assertThat(report.oldestRunning()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(report.clean()).isFalse();
        assertThat(events).contains("close pool");
        assertThat(registry.state()).isEqualTo(AvailabilityState.STOPPED);
    }

    @Test
    void aSecondDrainDoesNotStartAnotherAndGetsTheFirstReport() throws Exception {
        CountDownLatch inPropagation = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> phases = new CopyOnWriteArrayList<>();
        GracefulDrain d = GracefulDrain.builder(registry).sleeper(x -> {
            inPropagation.countDown();
            release.await();
        }).halter(halts::add).build();
        d.addListener((prev, next, took) -> phases.add(next.name()));
        CompletableFuture<DrainReport> first = CompletableFuture.supplyAsync(d::drain);
        assertThat(inPropagation.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<DrainReport> second = CompletableFuture.supplyAsync(d::drain);
        assertThat(registry.beginDrain()).as("the registry is already draining").isFalse();
        release.countDown();
        DrainReport a = first.get(10, TimeUnit.SECONDS);
        DrainReport b = second.get(10, TimeUnit.SECONDS);
        assertThat(b).isSameAs(a);
        assertThat(phases).containsExactly("PROPAGATING", "DRAINING", "CLOSING", "STOPPED");
        assertThat(d.drain()).isSameAs(a);
    }

    @Test
    void aResourceWhoseCloseHangsIsAbandonedAndTheOthersStillClose() {
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        CountDownLatch never = new CountDownLatch(1);
        d.register("first", () -> events.add("close first"));
        d.register("hangs", never::await, Duration.ofMillis(100));
        d.register("fails", () -> {
            throw new IllegalStateException("broken");
        });
        d.register("last", () -> events.add("close last"));

        DrainReport report = d.drain();

        assertThat(events).containsSubsequence("close last", "close first");
        assertThat(report.failedResources()).containsExactly("fails", "hangs");
        assertThat(registry.state()).isEqualTo(AvailabilityState.STOPPED);
    }

    @Test
    void executorsAreShutDownAndAwaited() {
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        ex.submit(() -> events.add("task ran"));
        d.register("executor", ex);
        d.drain();
        assertThat(ex.isTerminated()).isTrue();
        assertThat(events).contains("task ran");
    }

    @Test
    void aServerThatFailsToStopAcceptingDoesNotStopTheDrainButMakesItUnclean() {
        GracefulDrain d = drain(DrainSettings.defaults()).server(() -> {
            throw new java.io.IOException("socket gone");
        }).build();
        d.register("pool", () -> events.add("close pool"));
        DrainReport report = d.drain();
        assertThat(events).contains("close pool");
        assertThat(report.failedServers()).singleElement().asString().isNotBlank();
        assertThat(report.clean()).as("a server that may still accept is not a clean drain").isFalse();
        assertThat(registry.state()).isEqualTo(AvailabilityState.STOPPED);
    }

    @Test
    void resourceWithNonPositiveTimeoutIsRefused() {
        GracefulDrain d = drain(DrainSettings.defaults()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.register("x", () -> { }, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }
}
