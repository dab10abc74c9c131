package dev.readiness.gc.runtime;

import dev.readiness.gc.budget.Sizes;
import dev.readiness.gc.cgroup.ContainerLimits;
import dev.readiness.gc.runtime.GcAdvisor.Advice;
import dev.readiness.gc.runtime.GcAdvisor.Collector;
import dev.readiness.gc.runtime.GcAdvisor.JvmFacts;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class GcAdvisorTest {

    static List<String> codes(JvmFacts f) {
        return GcAdvisor.advise(f).stream().map(Advice::code).toList();
    }

    @Test
    void aWellSizedG1JvmGetsNoAdvice() {
        assertThat(codes(new JvmFacts(Collector.G1, 249 * Sizes.MIB, 2, true, OptionalLong.of(512 * Sizes.MIB)))).isEmpty();
    }

    @Test
    void serialGcOnTwoOrMoreCpusIsReported() {
        assertThat(codes(new JvmFacts(Collector.SERIAL, 128 * Sizes.MIB, 2, true, OptionalLong.of(512 * Sizes.MIB))))
                .containsExactly("serial-on-multicore");
        assertThat(codes(new JvmFacts(Collector.SERIAL, 128 * Sizes.MIB, 1, true, OptionalLong.empty()))).isEmpty();
    }

    @Test
    void aHeapAboveNinetyPercentOfTheLimitIsReportedWithTheFigures() {
        List<Advice> advice = GcAdvisor.advise(new JvmFacts(Collector.G1, 480 * Sizes.MIB, 2, true,
                OptionalLong.of(512 * Sizes.MIB)));
        assertThat(advice).extracting(Advice::code).containsExactly("heap-near-limit");
        assertThat(advice.get(0).message()).contains("480 MiB").contains("94%").contains("512 MiB");
        assertThat(codes(new JvmFacts(Collector.G1, 460 * Sizes.MIB, 2, true, OptionalLong.of(512 * Sizes.MIB))))
                .isEmpty();
    }

    @Test
    void missingExitOnOutOfMemoryErrorIsReported() {
        assertThat(codes(new JvmFacts(Collector.G1, Sizes.GIB, 4, false, OptionalLong.empty())))
                .containsExactly("no-exit-on-oom");
    }

    @Test
    void aStopTheWorldCollectorOnALargeHeapIsReported() {
        assertThat(codes(new JvmFacts(Collector.PARALLEL, 8 * Sizes.GIB, 4, true, OptionalLong.empty())))
                .containsExactly("old-collector-large-heap");
        assertThat(codes(new JvmFacts(Collector.SERIAL, 6 * Sizes.GIB, 1, true, OptionalLong.empty())))
                .containsExactly("old-collector-large-heap");
        assertThat(codes(new JvmFacts(Collector.PARALLEL, Sizes.GIB, 4, true, OptionalLong.empty()))).isEmpty();
    }

    @Test
    void collectorsAreToldApartByTheirBeanNames() {
        assertThat(GcAdvisor.collectorOf(List.of("Copy", "MarkSweepCompact"))).isEqualTo(Collector.SERIAL);
        assertThat(GcAdvisor.collectorOf(List.of("PS Scavenge", "PS MarkSweep"))).isEqualTo(Collector.PARALLEL);
        assertThat(GcAdvisor.collectorOf(List.of("G1 Young Generation", "G1 Old Generation"))).isEqualTo(Collector.G1);
        assertThat(GcAdvisor.collectorOf(List.of("ZGC Cycles", "ZGC Pauses"))).isEqualTo(Collector.Z);
        assertThat(GcAdvisor.collectorOf(List.of())).isEqualTo(Collector.OTHER);
    }

    @Test
    void theRunningJvmIsReadFromItsMxBeans() {
        JvmFacts f = JvmFacts.current(ContainerLimits.none("test", List.of()));
        assertThat(f.collector()).isNotEqualTo(Collector.OTHER);
        assertThat(f.maxHeap()).isEqualTo(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        boolean exitFlag = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.equals("-XX:+ExitOnOutOfMemoryError") || a.equals("-XX:+CrashOnOutOfMemoryError"));
        assertThat(f.exitOnOom()).isEqualTo(exitFlag);
        assertThat(GcAdvisor.logAtStart()).isNotNull();
    }
}
