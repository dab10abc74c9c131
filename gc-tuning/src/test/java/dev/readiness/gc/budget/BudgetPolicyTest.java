package dev.readiness.gc.budget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetPolicyTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        BudgetPolicy p = BudgetPolicy.defaults();
        assertThat(p.headroomPercent()).isEqualTo(10);
        assertThat(p.maxHeapPercent()).isEqualTo(80);
        assertThat(p.threadCount()).isEqualTo(100);
        assertThat(p.stackSize()).isEqualTo(Sizes.MIB);
        assertThat(p.directMemory()).isEqualTo(10 * Sizes.MIB);
        assertThat(p.classLoadFactor()).isEqualTo(0.35);
        assertThat(p.initialHeapEqualsMax()).isTrue();
        assertThat(p.gcLogDir()).hasValue("/tmp");
        assertThat(p.heapDumpDir()).isEmpty();
        assertThat(p.memoryLimit()).isEmpty();
    }

    @Test
    void overridesAreRead() {
        BudgetPolicy p = BudgetPolicy.fromEnv(Map.of("READINESS_GC_MEMORY_LIMIT", "1Gi", "READINESS_GC_CPU_LIMIT", "1500m",
                "READINESS_GC_LOG_DIR", "off", "READINESS_GC_XMS", "none", "READINESS_GC_CLASS_COUNT", "12000"));
        assertThat(p.memoryLimit()).hasValue(1L << 30);
        assertThat(p.cpuLimit()).hasValue(1.5);
        assertThat(p.gcLogDir()).isEmpty();
        assertThat(p.initialHeapEqualsMax()).isFalse();
        assertThat(p.classCount()).hasValue(12000);
    }

    @Test
    void millicoresAsTheDownwardApiWritesThem() {
        assertThat(BudgetPolicy.fromEnv(Map.of("READINESS_GC_CPU_MILLICORES", "1500")).cpuLimit()).hasValue(1.5);
        assertThatThrownBy(() -> BudgetPolicy.fromEnv(Map.of("READINESS_GC_CPU_MILLICORES", "1500",
                "READINESS_GC_CPU_LIMIT", "2"))).hasMessageContaining("not together with READINESS_GC_CPU_LIMIT");
        assertThatThrownBy(() -> BudgetPolicy.fromEnv(Map.of("READINESS_GC_CPU_MILLICORES", "1.5")))
                .hasMessageContaining("READINESS_GC_CPU_MILLICORES=1.5 is invalid");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "HEADROOM_PERCENT|60|0 to 50",
            "HEADROOM_PERCENT|ten|0 to 50",
            "MAX_HEAP_PERCENT|99|10 to 95",
            "THREAD_COUNT|0|1 to 100000",
            "STACK_SIZE|1mb|JVM size",
            "DIRECT_MEMORY|-1m|JVM size",
            "CLASS_LOAD_FACTOR|1.5|fraction",
            "MEMORY_LIMIT|lots|memory quantity",
            "CPU_LIMIT|-1|CPUs",
            "CPU_LIMIT|1.5cores|CPUs",
            "XMS|half|max (-Xms = -Xmx) or none",
            "LOG_DIR|relative/dir|absolute path",
            "HEAP_DUMP_DIR|/with space|absolute path",
            "LOG_DIR|/a,b|absolute path"})
    void badSettingsNameTheVariableTheValueAndWhatIsAllowed(String name, String value, String allowed) {
        assertThatThrownBy(() -> BudgetPolicy.fromEnv(Map.of("READINESS_GC_" + name, value)))
                .isInstanceOf(TuningException.class)
                .hasMessageContaining("READINESS_GC_" + name + "=" + value + " is invalid")
                .hasMessageContaining(allowed)
                .satisfies(e -> assertThat(((TuningException) e).doesNotFit()).isFalse());
    }
}
