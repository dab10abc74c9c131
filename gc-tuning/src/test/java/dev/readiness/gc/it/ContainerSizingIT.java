package dev.readiness.gc.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Child JVMs inside a real 512 MiB memory cgroup (cgroup v1, beneath this process's own): started through the
 * entrypoint, through an argument file (no shell in the java command), and with the JDK's defaults. Skipped, with
 * the reason printed, where the machine cannot make a memory cgroup.
 */
class ContainerSizingIT {

    static final long LIMIT = 512L * 1024 * 1024;
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static Path jar;
    static String childClassPath;

    @TempDir
    static Path work;

    @BeforeAll
    static void needsAMemoryCgroup() throws IOException {
        String why = MemoryCgroup.unavailable().orElse(null);
        if (why != null) {
            System.out.println("ContainerSizingIT skipped: cannot create a memory cgroup: " + why);
        }
        Assumptions.assumeTrue(why == null, "cannot create a memory cgroup: " + why);
        jar = Path.of(System.getProperty("readiness.gc.jar", "target/readiness-gc-tuning-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged gc-tuning jar").exists();
        // the workload needs gc-tuning, core and slf4j-api only; the whole test class path would skew the class count
        childClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("gc-tuning") || e.contains("readiness-core") || e.contains("slf4j-api"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    record Run(int exit, String out, String err) {
        String value(String key) {
            return out.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in:\n" + out + "\n" + err));
        }
    }

    static Run sh(MemoryCgroup cg, String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", cg.enter() + command);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM did not finish in 120 s: " + Files.readString(out));
        }
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println("--- " + command + "\n" + run.out + run.err);
        return run;
    }

    static Path entrypoint() throws IOException {
        Path script = work.resolve("readiness-gc-entrypoint.sh");
        try (var in = ContainerSizingIT.class.getResourceAsStream("/dev/readiness/gc/readiness-gc-entrypoint.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("READINESS_GC_JAR", jar.toString());
        env.put("READINESS_GC_LOG_DIR", work.toString());
        return env;
    }

    static String workload(String liveSet) {
        return "-cp " + childClassPath + " " + LiveSetWorkload.class.getName() + " " + liveSet + " 6";
    }

    @Test
    void throughTheEntrypointTheJvmRunsWithTheComputedFlagsAndHoldsSeventyPercentOfItsHeap() throws Exception {
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it", LIMIT)) {
            Run run = sh(cg, entrypoint() + " " + JAVA + " " + workload("0.70"), env());

            assertThat(run.exit()).as(run.err()).isZero();
            String chosen = run.err().lines().filter(l -> l.startsWith("readiness-gc: ")).findFirst().orElseThrow();
            List<String> flags = new ArrayList<>(List.of(chosen.substring("readiness-gc: ".length()).split(" ")));
            String xmx = flags.stream().filter(f -> f.startsWith("-Xmx")).findFirst().orElseThrow();
            long heap = Long.parseLong(xmx.substring(4, xmx.length() - 1)) * 1024 * 1024;
            // the JDK sees the cgroup, and the JVM runs with exactly what the CLI computed
            assertThat(Long.parseLong(run.value("containerMemory"))).isEqualTo(LIMIT);
            assertThat(run.value("inputArgs")).contains(flags);
            assertThat(flags).contains("-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
            assertThat(run.value("collector")).isEqualTo("G1");
            assertThat(Long.parseLong(run.value("maxHeapSize"))).as("MaxHeapSize, aligned to G1's regions")
                    .isBetween(heap, heap + 4 * 1024 * 1024);
            assertThat(heap).as("more than the JDK's quarter of the limit").isGreaterThan(LIMIT / 4);
            assertThat(run.value("advice")).isEmpty();
            // the live set stayed, the check stayed UP, the kernel killed nothing
            assertThat(run.out()).contains("done");
            assertThat(run.value("pressureDowns")).isEqualTo("0");
            assertThat(cg.oomKills()).as("oom_kill in memory.oom_control").isIn(0L, -1L);
            System.out.printf("entrypoint: heap %d MiB, peak cgroup usage %d MiB of %d MiB, failcnt %d%n",
                    heap >> 20, cg.read("memory.max_usage_in_bytes") >> 20, LIMIT >> 20, cg.read("memory.failcnt"));
            assertThat(cg.read("memory.max_usage_in_bytes")).isLessThan(LIMIT);
            assertThat(work.resolve("gc.log")).as("the rotating GC log").exists();
        }
    }

    @Test
    void theJdkDefaultsInTheSameCgroupPickSerialAndAQuarterHeapThatCannotHoldTheSameLiveSet() throws Exception {
        long ourHeap;
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-flags", LIMIT)) {
            Run flags = sh(cg, JAVA + " -cp " + jar + " dev.readiness.gc.cli.Main flags -- " + workload("0.70"), env());
            String xmx = flags.out().lines().filter(l -> l.startsWith("-Xmx")).findFirst().orElseThrow();
            ourHeap = Long.parseLong(xmx.substring(4, xmx.length() - 1)) * 1024 * 1024;
        }
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-defaults", LIMIT)) {
            long liveSet = (long) (ourHeap * 0.70);
            Run run = sh(cg, JAVA + " " + workload(Long.toString(liveSet)), Map.of());
            assertThat(run.value("collector")).isEqualTo("SERIAL");
            assertThat(Long.parseLong(run.value("maxHeap"))).isLessThanOrEqualTo(LIMIT / 4);
            assertThat(run.value("advice")).contains("serial-on-multicore", "no-exit-on-oom");
            assertThat(run.exit()).as("the defaults cannot hold a live set our heap holds").isNotZero();
            assertThat(run.err()).contains("OutOfMemoryError");
            System.out.printf("JDK defaults: %s, heap %d MiB; live set %d MiB (70%% of our %d MiB heap) -> "
                            + "OutOfMemoryError%n", run.value("collector"), Long.parseLong(run.value("maxHeap")) >> 20,
                    liveSet >> 20, ourHeap >> 20);
        }
    }

    @Test
    void anArgumentFileGivesTheSameFlagsWithoutAShellInTheJavaCommand() throws Exception {
        Path args = work.resolve("jvm.args");
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-argfile", LIMIT)) {
            Run write = sh(cg, JAVA + " -cp " + jar + " dev.readiness.gc.cli.Main argfile " + args + " -- "
                    + workload("0.5"), env());
            assertThat(write.exit()).as(write.err()).isZero();
            List<String> flags = Files.readAllLines(args, StandardCharsets.UTF_8);
            Run run = sh(cg, JAVA + " @" + args + " " + workload("0.5"), Map.of());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.value("inputArgs")).contains(flags);
            assertThat(run.value("collector")).isEqualTo("G1");
        }
    }

    @Test
    void optionsInJavaToolOptionsWinOverTheComputedOnes() throws Exception {
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-user", LIMIT)) {
            Map<String, String> env = env();
            env.put("JAVA_TOOL_OPTIONS", "-Xmx200m -XX:+UseSerialGC");
            Run run = sh(cg, entrypoint() + " " + JAVA + " " + workload("0.5"), env);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(Long.parseLong(run.value("maxHeapSize"))).isEqualTo(200L * 1024 * 1024);
            assertThat(run.value("collector")).isEqualTo("SERIAL");
            String chosen = run.err().lines().filter(l -> l.startsWith("readiness-gc: ")).findFirst().orElseThrow();
            assertThat(chosen).doesNotContain("-Xmx", "-Xms", "UseG1GC").contains("-XX:MaxMetaspaceSize=");
        }
    }

    @Test
    void aCgroupTooSmallStopsTheEntrypointWithTheTableBeforeTheJvmStarts() throws Exception {
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-tiny", 160L * 1024 * 1024)) {
            Run run = sh(cg, entrypoint() + " " + JAVA + " " + workload("0.5"), env());
            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.err()).contains("the memory limit cannot hold this JVM").contains("thread stacks");
            assertThat(run.out()).doesNotContain("collector=");
        }
    }

    @Test
    void aCpuQuotaUnderOneCpuFromARealCpuCgroupKeepsSerialGcWithOneProcessor() throws Exception {
        Path cpuParent = MemoryCgroup.ownCgroup("cpu");
        Assumptions.assumeTrue(cpuParent != null && Files.isWritable(cpuParent),
                "no writable cgroup v1 cpu controller for this process: " + cpuParent);
        Path cpu = cpuParent.resolve("readiness-gc-it-cpu-" + ProcessHandle.current().pid());
        Files.createDirectory(cpu);
        try (MemoryCgroup cg = MemoryCgroup.create("readiness-gc-it-cpu", LIMIT)) {
            Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000");
            Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "50000");
            // the memory cgroup's shell execs a second shell that joins the cpu cgroup, then execs java
            Run run = sh(cg, "sh -c 'echo $$ > " + cpu.resolve("cgroup.procs") + " && exec " + JAVA + " -cp " + jar
                    + " dev.readiness.gc.cli.Main explain'", env());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("0.50 CPUs (cgroup v1 /sys/fs/cgroup/cpu/readiness-gc-it-cpu-")
                    .contains("-XX:+UseSerialGC").contains("-XX:ActiveProcessorCount=1")
                    .contains("SerialGC, because the quota is less than one CPU");
        } finally {
            for (int i = 0; i < 50 && Files.isDirectory(cpu); i++) {
                try {
                    Files.delete(cpu);
                } catch (IOException busy) {
                    Thread.sleep(100);
                }
            }
        }
    }
}
