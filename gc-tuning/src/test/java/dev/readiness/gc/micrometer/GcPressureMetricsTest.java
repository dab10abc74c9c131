package dev.readiness.gc.micrometer;

import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcPressureSettings;
import dev.readiness.gc.runtime.GcSampler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GcPressureMetricsTest {

    @Test
    void bindsMicrometersJvmBindersAndTheCheckGauges() {
        AtomicLong nanos = new AtomicLong();
        AtomicLong pauses = new AtomicLong();
        GcPressureCheck check = new GcPressureCheck(new GcPressureSettings(Duration.ofSeconds(10), 50, 95),
                () -> new GcSampler.Sample(pauses.get(), pauses.get(), 0.42), nanos::get);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GcPressureMetrics metrics = new GcPressureMetrics(check)) {
            metrics.bindTo(registry);
            assertThat(registry.find("readiness.gc.pressure.overhead").gauge().value()).isNaN();
            check.check();
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            pauses.addAndGet(500);
            check.check();
            assertThat(registry.find("readiness.gc.pressure.overhead").gauge().value()).isEqualTo(0.25);
            assertThat(registry.find("readiness.gc.pressure.heap.after.gc").gauge().value()).isEqualTo(0.42);
            // Micrometer's own JVM meters, not rewritten
            assertThat(registry.find("jvm.memory.used").gauges()).isNotEmpty();
            assertThat(registry.find("jvm.gc.overhead").gauge()).isNotNull();
            assertThat(registry.find("jvm.gc.max.data.size").gauge()).isNotNull();
        }
    }

    @Test
    void withoutACheckOnlyTheJvmBindersAreBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GcPressureMetrics metrics = new GcPressureMetrics(null)) {
            metrics.bindTo(registry);
            assertThat(registry.find("readiness.gc.pressure.overhead").gauge()).isNull();
            assertThat(registry.find("jvm.memory.max").gauges()).isNotEmpty();
        }
    }

    @Test
    void whereTheApplicationBindsTheJvmBindersOnlyTheCheckGaugesAreBound() {
        GcPressureCheck check = new GcPressureCheck(new GcPressureSettings(Duration.ofSeconds(10), 50, 95),
                () -> new GcSampler.Sample(0, 0, 0.1), () -> 0L);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GcPressureMetrics metrics = new GcPressureMetrics(check, false)) {
            metrics.bindTo(registry);
            assertThat(registry.find("readiness.gc.pressure.overhead").gauge()).isNotNull();
            assertThat(registry.find("jvm.gc.max.data.size").gauge()).isNull();
            assertThat(registry.find("jvm.memory.used").gauges()).isEmpty();
        }
    }
}
