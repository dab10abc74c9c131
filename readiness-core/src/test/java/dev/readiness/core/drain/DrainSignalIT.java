package dev.readiness.core.drain;

import dev.readiness.testkit.http.NoRetryHttpClient;
import dev.readiness.testkit.process.ForkedJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Real SIGTERM and SIGINT sent to a forked JVM running {@link DrainTestService}. */
class DrainSignalIT {

    private static final Duration START = Duration.ofSeconds(30);
    private final List<ForkedJvm> forked = new ArrayList<>();
    // Each request on its own connection, sent once: a failed request is never hidden by a resend.
    private final NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(2), false);

    @AfterEach
    void kill() {
        forked.forEach(ForkedJvm::close);
    }

    private ForkedJvm service(String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "READINESS_DRAIN_PROPAGATION_DELAY", "1s",
                "READINESS_DRAIN_TIMEOUT", "5s",
                "READINESS_DRAIN_RESOURCE_CLOSE_TIMEOUT", "500ms"));
        env.putAll(extra);
        ForkedJvm jvm = ForkedJvm.start(name, ForkedJvm.currentClasspath(), DrainTestService.class.getName(), env,
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), true);
        forked.add(jvm);
        return jvm;
    }

    private int port(ForkedJvm jvm) throws InterruptedException {
        return Integer.parseInt(jvm.await("LISTENING port=(\\d+)", START));
    }

    private NoRetryHttpClient.Response get(int port, String path) throws Exception {
        return client.get(port, path, Duration.ofSeconds(30));
    }

    @Test
    void drainWithNoTrafficTurnsReadinessDownKeepsServingAndExitsZero() throws Exception {
        ForkedJvm jvm = service("no-traffic", Map.of("READINESS_DRAIN_PROPAGATION_DELAY", "2s"));
        int port = port(jvm);
        assertThat(get(port, "/readyz").status()).isEqualTo(200);

        long t0 = System.nanoTime();
        jvm.signal("TERM");
        jvm.await("drain phase 1/4", Duration.ofSeconds(10));
        assertThat(get(port, "/readyz").status()).as("readiness DOWN at once").isEqualTo(503);
        assertThat(get(port, "/").status()).as("still serving during the propagation delay").isEqualTo(200);

        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(2 + 6));
        assertThat(jvm.count("closed pool-b")).isEqualTo(1);
        assertThat(jvm.count("other hook ran")).isEqualTo(1);
        assertThat(jvm.lines()).anySatisfy(l -> assertThat(l).contains("drain complete in"));
    }

    @Test
    void inFlightRequestFinishesAndNewConnectionsAreRefusedAfterThePropagationDelay() throws Exception {
        ForkedJvm jvm = service("in-flight", Map.of());
        int port = port(jvm);
        CompletableFuture<NoRetryHttpClient.Response> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get(port, "/slow?ms=3000");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        jvm.await("slow started ms=3000", Duration.ofSeconds(10));
        jvm.signal("TERM");
        jvm.await("drain phase 2/4 requests: stopped accepting on 1 server\\(s\\); waiting up to 5s for 1 ",
                Duration.ofSeconds(10));
        assertThat(refused(port)).as("accepting stopped").isTrue();
        NoRetryHttpClient.Response r = slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("slept 3000");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(jvm.lines()).anySatisfy(l -> assertThat(l).contains("still running 0"));
    }

    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void drainTimeoutExceededLogsTheCountAndTheOldestAgeThenExits() throws Exception {
        ForkedJvm jvm = service("timeout", Map.of("READINESS_DRAIN_TIMEOUT", "1s"));
        int port = port(jvm);
        CompletableFuture.runAsync(() -> {
            try {
                get(port, "/slow?ms=60000");
            } catch (Exception ignored) {
                // the connection is cut when the process exits: that is the point of this test
            }
        });
        jvm.await("slow started ms=60000", Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        jvm.signal("TERM");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("propagation 1s + timeout 1s + margin").isLessThan(Duration.ofSeconds(2 + 6));
        assertThat(jvm.lines()).anySatisfy(l -> assertThat(l)
                .containsPattern("drain timeout 1s passed with 1 request\\(s\\) still running, the oldest for \\d+ ms"));
        assertThat(jvm.count("closed pool-a")).isEqualTo(1);
    }

    @Test
    void aSecondSigtermDuringTheDrainDoesNotStartAnotherDrain() throws Exception {
        ForkedJvm jvm = service("second-signal", Map.of("READINESS_DRAIN_PROPAGATION_DELAY", "2s"));
        port(jvm);
        jvm.signal("TERM");
        jvm.await("drain phase 1/4", Duration.ofSeconds(10));
        jvm.signal("TERM");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(jvm.count("drain phase 1/4")).isEqualTo(1);
        assertThat(jvm.count("drain complete in")).isEqualTo(1);
        assertThat(jvm.count("SIGTERM received during the drain")).isEqualTo(1);
    }

    @Test
    void aSigintDuringTheDrainDoesNotStartAnotherDrain() throws Exception {
        assumeFalse(dev.readiness.testkit.process.IgnoredSignals.sigint(),
                dev.readiness.testkit.process.IgnoredSignals.sigintMessage());
        ForkedJvm jvm = service("sigint-in-drain", Map.of("READINESS_DRAIN_PROPAGATION_DELAY", "2s"));
        port(jvm);
        jvm.signal("TERM");
        jvm.await("drain phase 1/4", Duration.ofSeconds(10));
        jvm.signal("INT");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(jvm.count("drain phase 1/4")).isEqualTo(1);
        assertThat(jvm.count("drain complete in")).isEqualTo(1);
        assertThat(jvm.count("SIGINT received during the drain")).isEqualTo(1);
    }

    @Test
    void aResourceWhoseCloseHangsDoesNotStopTheOthersOrTheExit() throws Exception {
        ForkedJvm jvm = service("hang", Map.of("TEST_RESOURCES", "hang"));
        port(jvm);
        jvm.signal("TERM");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(jvm.count("closed pool-b")).isEqualTo(1);
        assertThat(jvm.count("closed pool-a")).isEqualTo(1);
        assertThat(jvm.lines()).anySatisfy(l -> assertThat(l).contains("resource hangs did not close within 0.500s"));
        assertThat(jvm.lines().indexOf("closed pool-b")).isLessThan(jvm.lines().indexOf("closed pool-a"));
    }

    @Test
    void exitCodeJvmLeavesTheJvmsOwnStatus() throws Exception {
        ForkedJvm jvm = service("jvm-exit", Map.of("READINESS_DRAIN_EXIT_CODE", "jvm",
                "READINESS_DRAIN_PROPAGATION_DELAY", "0s"));
        port(jvm);
        jvm.signal("TERM");
        assertThat(jvm.awaitExit(Duration.ofSeconds(20))).isEqualTo(143);
        assertThat(jvm.count("drain complete in")).isEqualTo(1);
    }
}
