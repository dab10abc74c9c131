package dev.readiness.containers;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM in a real container with {@code --memory} and {@code --cpus}: what it sees of its cgroup from inside,
 * what the image's gc-tuning entrypoint makes of it, and a live set held under allocation without an OOM kill.
 */
class MemoryLimitsIT {

    private static final String WORKLOAD = "dev.readiness.containers.Allocate";
    private static final Path TEST_CLASSES = Podman.ROOT.resolve("containers/target/test-classes");

    @BeforeAll
    static void images() {
        Podman.buildImages();
    }

    @ParameterizedTest(name = "--memory {0}")
    @ValueSource(strings = {"512m", "1g"})
    void theEntrypointPicksG1AndTheBudgetsHeapAndTheLiveSetRunsWithoutAnOomKill(String memory) {
        long limitMiB = memory.equals("1g") ? 1024 : 512;
        String limitText = memory.equals("1g") ? "1 GiB" : "512 MiB";
        // The budget as the CLI explains it, read in a container with the same limit and the same command.
        Podman.Result explain = Podman.podman(Duration.ofMinutes(2), "run", "--rm", "--network", "none",
                "--memory", memory, "-v", TEST_CLASSES + ":/work:ro", "--entrypoint", "java", Podman.image(Podman.SERVLET),
                "-jar", "/app/readiness-gc-tuning.jar", "explain", "--", "-cp", "/work", WORKLOAD);
        assertThat(explain.exit()).as(explain.all()).isZero();
        assertThat(explain.out()).containsPattern("memory limit\\s+" + limitText + "\\s+cgroup v[12] ")
                .doesNotContain("warnings:");
        long heapMiB = group(explain.out(), "(?m)^\\s+heap\\s+(\\d+) MiB");
        assertThat(heapMiB).isBetween(limitMiB * 4 / 10, limitMiB * 8 / 10);

        // Through the image's entrypoint: half the heap live, 6 s of allocation.
        try (Podman.Container c = Podman.run("--network", "none", "--memory", memory,
                "-v", TEST_CLASSES + ":/work:ro", Podman.image(Podman.SERVLET),
                "java", "-cp", "/work", WORKLOAD, "50", "6")) {
            assertThat(c.await(Duration.ofMinutes(2))).as(c.logs()).isZero();
            String log = c.logs();
            assertThat(log).contains("readiness-gc: -Xmx" + heapMiB + "m -Xms" + heapMiB + "m")
                    .contains("-XX:+UseG1GC").contains("-XX:+ExitOnOutOfMemoryError")
                    .contains("collectors=G1 Young Generation")
                    .contains("totalMemoryMiB=" + limitMiB)
                    .contains("done");
            assertThat(group(log, "maxHeapMiB=(\\d+)")).isBetween(heapMiB - 2, heapMiB + 2); // G1 rounds to its regions
            assertThat(c.inspect("{{.State.OOMKilled}}")).isEqualTo("false");
        }

        // The JDK alone in the same limit: SerialGC and a quarter of it.
        try (Podman.Container c = Podman.run("--network", "none", "--memory", memory,
                "-e", "READINESS_GC_ENABLED=false", "-v", TEST_CLASSES + ":/work:ro", Podman.image(Podman.SERVLET),
                "java", "-cp", "/work", WORKLOAD, "10", "0")) {
            assertThat(c.await(Duration.ofMinutes(2))).as(c.logs()).isZero();
            String log = c.logs();
            assertThat(log).contains("collectors=Copy,MarkSweepCompact").doesNotContain("readiness-gc:");
            assertThat(group(log, "maxHeapMiB=(\\d+)")).isLessThanOrEqualTo(limitMiB / 4);
        }
    }

    @Test
    void aFractionalCpuQuotaIsRoundedToTheNearestProcessorWhereTheJdkRoundsUp() {
        // 1.4 CPUs of quota on a 2-CPU machine: the JDK sizes its threads for 2, the budget for 1.
        try (Podman.Container ours = Podman.run("--network", "none", "--memory", "512m", "--cpus", "1.4",
                     "-v", TEST_CLASSES + ":/work:ro", Podman.image(Podman.SERVLET), "java", "-cp", "/work", WORKLOAD, "1", "0");
             Podman.Container jdk = Podman.run("--network", "none", "--memory", "512m", "--cpus", "1.4",
                     "-e", "READINESS_GC_ENABLED=false", "-v", TEST_CLASSES + ":/work:ro", Podman.image(Podman.SERVLET),
                     "java", "-cp", "/work", WORKLOAD, "1", "0")) {
            assertThat(ours.await(Duration.ofMinutes(2))).as(ours.logs()).isZero();
            assertThat(jdk.await(Duration.ofMinutes(2))).as(jdk.logs()).isZero();
            assertThat(ours.logs()).contains("-XX:ActiveProcessorCount=1").contains("processors=1")
                    .contains("-XX:+UseG1GC");
            // The JDK rounds the quota up, to at most the machine's CPUs (2 on the build machines).
            assertThat(jdk.logs()).contains("processors=" + Math.min(2, Runtime.getRuntime().availableProcessors()));
        }
    }

    @Test
    void aHeapSetForAVmStopsTheEntrypointAndTheAdvisorNamesTheContainersLimit(@TempDir Path tmp) throws Exception {
        KubeletAtomicWriter config = ContainerTestSupport.configMap(tmp);
        try (RedisServer redis = RedisServer.start()) {
            int app = FreePorts.next();
            int mgmt = FreePorts.next();
            // A heap set by hand, as copied from a VM: the entrypoint refuses to start a JVM that would be OOM-killed.
            List<String> run = new ArrayList<>(ContainerTestSupport.hostNetworkOptions(config, redis, app, mgmt));
            run.addAll(List.of("--memory", "512m", "-e", "JAVA_TOOL_OPTIONS=-Xmx480m", Podman.image(Podman.SERVLET)));
            try (Podman.Container c = Podman.run(run.toArray(String[]::new))) {
                assertThat(c.await(Duration.ofMinutes(1))).as(c.logs()).isEqualTo(3);
                assertThat(c.logs()).contains("readiness-gc: the memory limit cannot hold this JVM")
                        .containsPattern("memory limit\\s+512 MiB\\s+cgroup v[12] ")
                        .contains("heap               480 MiB  set by you: -Xmx480m in JAVA_TOOL_OPTIONS");
            }
            // Without the entrypoint the service starts, and its GC advisor compares the heap with the same limit.
            run = new ArrayList<>(ContainerTestSupport.hostNetworkOptions(config, redis, app, mgmt));
            run.addAll(List.of("--memory", "512m", "-e", "JAVA_TOOL_OPTIONS=-Xmx480m", "-e", "READINESS_GC_ENABLED=false",
                    Podman.image(Podman.SERVLET)));
            try (Podman.Container c = Podman.run(run.toArray(String[]::new))) {
                ContainerTestSupport.awaitReady(c, "127.0.0.1", mgmt, Duration.ofSeconds(90));
                // SerialGC reports -Xmx480m as 464 MiB (one survivor space is never usable at once).
                assertThat(c.logs()).containsPattern("readiness gc \\[heap-near-limit\\]: the maximum heap \\(4[67]\\d MiB\\) "
                                + "is 9\\d% of the container's memory limit \\(512 MiB\\)")
                        .contains("readiness gc [serial-on-multicore]").doesNotContain("readiness-gc: -Xmx");
            }
        }
    }

    private static long group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in\n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
