package dev.readiness.containers;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.TcpProxy;
import dev.readiness.testkit.rolling.LoadDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code podman stop -t 35} (SIGTERM to the container's PID 1, SIGKILL after the pod's grace period of 35 s) on
 * each sample's image under load through a real TCP proxy, with the shell image (the gc-tuning entrypoint execs java)
 * and with the shell-less one (java is the entrypoint, its options from an argument file an "init container" of
 * the same image wrote).
 */
class SignalsIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(5); // the sample's default

    @BeforeAll
    static void buildImages() {
        Podman.buildImages();
    }

    static Stream<Arguments> images() {
        List<String> servletDrain = List.of("drain phase 1/4 propagation", "drain phase 2/4 requests",
                "drain phase 3/4 resources", "drain phase 4/4 stopped");
        // The starter's drain first (readiness DOWN first), then Spring Boot's graceful shutdown.
        List<String> bootDrain = List.of("drain phase 1/4 propagation: readiness DOWN", "drain phase 4/4 stopped",
                "Commencing graceful shutdown", "Graceful shutdown complete");
        return Stream.of(Arguments.of(Podman.SERVLET, false, servletDrain), Arguments.of(Podman.SERVLET, true, servletDrain),
                Arguments.of(Podman.BOOT, false, bootDrain));
    }

    @ParameterizedTest(name = "{0}, shell-less image: {1}")
    @MethodSource("images")
    void podmanStopUnderLoadTurnsReadinessDownAtOnceDrainsAndExitsZeroWellBeforeTheGracePeriod(String sample,
            boolean shellLess, List<String> drainLines, @TempDir Path tmp) throws Exception {
        KubeletAtomicWriter config = ContainerTestSupport.configMap(tmp);
        try (RedisServer redis = RedisServer.start()) {
            int app = FreePorts.next();
            int mgmt = FreePorts.next();
            List<String> run = new ArrayList<>(ContainerTestSupport.hostNetworkOptions(config, redis, app, mgmt));
            run.addAll(List.of("--memory", "512m",
                    "-e", "READINESS_DRAIN_PROPAGATION_DELAY=" + PROPAGATION.toSeconds() + "s",
                    "-e", "READINESS_DRAIN_TIMEOUT=20s"));
            if (shellLess) {
                Path jvm = Podman.directory(tmp, "jvm", true);
                // The init container: same image, the main container's limits as the Downward API gives them.
                Podman.Result init = Podman.podman(Duration.ofMinutes(2), "run", "--rm", "--network", "none",
                        "-v", jvm + ":/jvm", "-e", "READINESS_GC_MEMORY_LIMIT=536870912",
                        "-e", "READINESS_GC_CPU_MILLICORES=2000", Podman.distroless(sample),
                        "-jar", "/app/readiness-gc-tuning.jar", "argfile", "/jvm/gc.args", "--", "-jar", "/app/app.jar");
                assertThat(init.exit()).as(init.all()).isZero();
                assertThat(Files.readString(jvm.resolve("gc.args"))).contains("-XX:+UseG1GC").contains("-Xmx");
                Podman.Result sh = Podman.podman(Duration.ofMinutes(1), "run", "--rm", "--network", "none",
                        "--entrypoint", "sh", Podman.distroless(sample), "-c", "true");
                assertThat(sh.exit()).as("a shell in the shell-less image: " + sh.all()).isNotZero();
                run.addAll(List.of("-v", jvm + ":/jvm:ro", Podman.distroless(sample)));
            } else {
                run.add(Podman.image(sample));
            }
            try (Podman.Container c = Podman.run(run.toArray(String[]::new));
                 TcpProxy proxy = TcpProxy.start("127.0.0.1", app)) {
                ContainerTestSupport.awaitReady(c, "127.0.0.1", mgmt, Duration.ofSeconds(120));
                String metrics = Podman.get("127.0.0.1", mgmt, "/metrics").body();
                assertThat(metrics).as("the JVM runs with the chosen collector").contains("G1 Old Gen");

                // 40 requests/s through the proxy, every 5th a /slow of up to 1.5 s.
                try (LoadDriver load = new LoadDriver(proxy.port(), 40, 5, Duration.ofMillis(1500),
                        Duration.ofSeconds(90)).start()) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.ok() >= 80);
                    long t0 = System.nanoTime();
                    CompletableFuture<Podman.Result> stop = CompletableFuture.supplyAsync(() ->
                            Podman.podman(Duration.ofSeconds(60), "stop", "-t", "35", c.name));
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                            .until(() -> Podman.get("127.0.0.1", mgmt, "/readyz").status() == 503);
                    double downAfter = (System.nanoTime() - t0) / 1e9;
                    // Liveness stays UP while draining: a restart now would cut the drain.
                    assertThat(Podman.get("127.0.0.1", mgmt, "/livez").status()).isEqualTo(200);
                    // The load balancer sees the 503 on its next check and stops sending; until then the
                    // propagation delay keeps the application serving.
                    Thread.sleep(1_000);
                    load.stopAndAwait(Duration.ofSeconds(30));
                    Podman.Result stopped = stop.get();
                    double stopSeconds = (System.nanoTime() - t0) / 1e9;

                    assertThat(stopped.exit()).as(stopped.all()).isZero();
                    assertThat(c.inspect("{{.State.ExitCode}}")).isEqualTo("0");
                    assertThat(c.inspect("{{.State.OOMKilled}}")).isEqualTo("false");
                    assertThat(downAfter).as("readiness 503 after SIGTERM, s").isLessThan(3.0);
                    // The propagation delay plus the slowest request plus closing: far from the 35 s of SIGKILL.
                    assertThat(stopSeconds).as("podman stop, s").isLessThan(20.0)
                            .isGreaterThanOrEqualTo(PROPAGATION.toSeconds());
                    assertThat(load.failed()).as("failed requests: %s", load.failureSamples()).isZero();
                    assertThat(load.ok()).isGreaterThanOrEqualTo(100);
                    assertThat(load.slowOk()).isPositive();
                    String log = c.logs();
                    assertThat(log).containsSubsequence(drainLines);
                    if (shellLess) {
                        assertThat(log).doesNotContain("readiness-gc:");
                    } else {
                        assertThat(log).contains("readiness-gc: -Xmx");
                    }
                    System.out.printf("%s, shell-less=%s: readiness 503 after %.2f s, podman stop took %.2f s, "
                            + "%d requests ok, %d failed%n", sample, shellLess, downAfter, stopSeconds, load.ok(), load.failed());
                }
            }
        }
    }
}
