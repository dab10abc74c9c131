package dev.readiness.gc;

import dev.readiness.gc.budget.MemoryBudget;
import dev.readiness.gc.budget.Sizes;
import dev.readiness.gc.budget.TuningException;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcTuningTest {

    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    static Path tree(String name) {
        try {
            return Path.of(GcTuningTest.class.getResource("/cgroup-trees/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static GcTuning tune(String tree, Map<String, String> env, String... javaArgs) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("READINESS_GC_CLASS_COUNT", "10000");
        return GcTuning.compute(new GcTuning.Inputs(e, List.of(javaArgs), tree(tree), JAVA_HOME, 2));
    }

    @Test
    void a512MiBContainerGetsG1AndAHeapFromTheBudgetNotAQuarter() {
        GcTuning t = tune("v1-limited", Map.of());
        MemoryBudget b = t.budget().orElseThrow();
        // 512 - 51 headroom - 10 direct - 70 metaspace (10000 x 5800 B + 14 MiB, rounded up) - 32 code cache - 100 stacks
        assertThat(b.heap()).isEqualTo(249 * Sizes.MIB);
        assertThat(b.heap()).isGreaterThan(512 * Sizes.MIB / 4);
        assertThat(t.plan().flags()).containsSubsequence("-Xmx249m", "-Xms249m", "-Xss1m",
                "-XX:MaxMetaspaceSize=70m", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxDirectMemorySize=10m",
                "-XX:+UseG1GC", "-XX:ActiveProcessorCount=2", "-XX:+ExitOnOutOfMemoryError");
        assertThat(t.plan().flags()).anyMatch(f -> f.startsWith("-Xlog:gc*:file=/tmp/gc.log") && f.contains("filecount=5"));
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("the JDK would pick SerialGC here"));
        long total = b.regions().stream().mapToLong(MemoryBudget.Region::bytes).sum();
        assertThat(total).isLessThanOrEqualTo(b.limit());
    }

    @Test
    void largeContainersCapTheHeapAtAShareOfTheLimit() {
        GcTuning t = tune("v2-unlimited", Map.of("READINESS_GC_MEMORY_LIMIT", "16Gi", "READINESS_GC_CPU_LIMIT", "4"));
        assertThat(t.budget().orElseThrow().heap()).isEqualTo(16 * Sizes.GIB * 80 / 100 / Sizes.MIB * Sizes.MIB);
        assertThat(t.plan().flags()).contains("-XX:+UseG1GC").noneMatch(f -> f.startsWith("-XX:ActiveProcessorCount"));
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("as the JDK would pick"));
        assertThat(t.budget().orElseThrow().regions()).anyMatch(r -> r.reason().contains("capped at 80%"));
    }

    @Test
    void lessThanOneCpuKeepsSerialGcWithTheReason() {
        GcTuning t = tune("v2-limited", Map.of());
        assertThat(t.plan().flags()).contains("-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1").doesNotContain("-XX:+UseG1GC");
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("SerialGC, because the quota is less than one CPU"));
    }

    @Test
    void aTinyHeapKeepsSerialGc() {
        GcTuning t = tune("v2-unlimited", Map.of("READINESS_GC_MEMORY_LIMIT", "300Mi", "READINESS_GC_THREAD_COUNT", "40"));
        assertThat(t.budget().orElseThrow().heap()).isLessThan(128 * Sizes.MIB);
        assertThat(t.plan().flags()).contains("-XX:+UseSerialGC");
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("under 128 MiB"));
    }

    @Test
    void optionsTheUserSetWinAndAreCountedInTheBudget() {
        GcTuning t = tune("v1-limited", Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxMetaspaceSize=128m -XX:+UseParallelGC",
                "JDK_JAVA_OPTIONS", "-Xss512k"), "-XX:ReservedCodeCacheSize=64m", "-jar", "app.jar");
        MemoryBudget b = t.budget().orElseThrow();
        assertThat(b.metaspace()).isEqualTo(128 * Sizes.MIB);
        assertThat(b.codeCache()).isEqualTo(64 * Sizes.MIB);
        assertThat(b.stackSize()).isEqualTo(512 * Sizes.KIB);
        // 512 - 51 - 10 - 128 - 64 - 50 (100 x 512k)
        assertThat(b.heap()).isEqualTo(209 * Sizes.MIB);
        assertThat(t.plan().flags()).noneMatch(f -> f.startsWith("-XX:MaxMetaspaceSize") || f.startsWith("-Xss")
                || f.startsWith("-XX:ReservedCodeCacheSize") || f.contains("GC") && f.startsWith("-XX:+Use"));
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("set by you (-XX:+UseParallelGC in JAVA_TOOL_OPTIONS), kept"));
    }

    @Test
    void theHandedOverVariablesReplaceTheCliOwnEnvironment() {
        GcTuning t = tune("v1-limited", Map.of("JAVA_TOOL_OPTIONS", "-Xmx1m", GcTuning.USER_JAVA_TOOL_OPTIONS, "-Xmx200m"));
        assertThat(t.budget().orElseThrow().heap()).isEqualTo(200 * Sizes.MIB);
        assertThat(t.plan().flags()).noneMatch(f -> f.startsWith("-Xmx") || f.startsWith("-Xms"));
    }

    @Test
    void aUserHeapThatDoesNotFitIsAClearErrorWithTheTable() {
        assertThatThrownBy(() -> tune("v1-limited", Map.of(), "-Xmx500m", "Main"))
                .isInstanceOf(TuningException.class)
                .satisfies(e -> assertThat(((TuningException) e).doesNotFit()).isTrue())
                .hasMessageContaining("more than the 512 MiB limit")
                .hasMessageMatching("(?s).*\\n  heap +500 MiB  set by you: -Xmx500m in command line\\n.*")
                .hasMessageContaining("thread stacks");
    }

    @Test
    void aLimitTooSmallForTheNonHeapRegionsIsAClearErrorWithTheTable() {
        assertThatThrownBy(() -> tune("v2-unlimited", Map.of("READINESS_GC_MEMORY_LIMIT", "200Mi")))
                .isInstanceOf(TuningException.class)
                .hasMessageContaining("the memory limit cannot hold this JVM")
                .hasMessageContaining("less than the minimum of 32 MiB")
                .hasMessageContaining("metaspace").hasMessageContaining("code cache").hasMessageContaining("short");
    }

    @Test
    void withoutAMemoryLimitTheHeapIsLeftToTheJdk() {
        GcTuning t = tune("v2-unlimited", Map.of());
        assertThat(t.budget()).isEmpty();
        assertThat(t.plan().flags()).noneMatch(f -> f.startsWith("-Xmx")).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(t.explain()).contains("no container memory limit found");
    }

    @Test
    void explainShowsEveryFigureWithItsReason() {
        String text = tune("v2-nested", Map.of("READINESS_GC_HEAP_DUMP_DIR", "/dumps")).explain();
        assertThat(text).contains("memory: 1 GiB (cgroup v2 /sys/fs/cgroup/kubepods.slice/kubepods-pod1.slice/memory.max)")
                .contains("2.50 CPUs").contains("headroom").contains("metaspace").contains("READINESS_GC_CLASS_COUNT=10000")
                .contains("heap").contains("what remains").contains("-XX:HeapDumpPath=/dumps")
                .contains("processors: 3 for a quota of 2.5 CPUs");
    }

    @Test
    void aFractionalQuotaIsRoundedToTheNearestCpuNotUp() {
        GcTuning t = tune("v2-unlimited", Map.of("READINESS_GC_CPU_LIMIT", "2200m"));
        assertThat(t.plan().flags()).contains("-XX:ActiveProcessorCount=2");
        assertThat(t.plan().notes()).anyMatch(n -> n.contains("processors: 2 for a quota of 2.2 CPUs; the JDK rounds up to 3"));
    }

    @Test
    void classesAreCountedInTheRuntimeWhenNotGiven() {
        Map<String, String> env = new HashMap<>();
        GcTuning t = GcTuning.compute(new GcTuning.Inputs(env, List.of("-jar", "/nonexistent/app.jar"),
                tree("v1-limited"), JAVA_HOME, 2));
        assertThat(t.budget().orElseThrow().regions()).anyMatch(r -> r.name().equals("metaspace")
                && r.reason().contains("runtime"));
        assertThat(t.warnings()).anyMatch(w -> w.contains("/nonexistent/app.jar: not found"));
    }
}
