package dev.readiness.gc.micrometer;

import dev.readiness.gc.runtime.GcPressureCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;

/**
 * The GC meters: Micrometer's own JVM binders ({@code jvm.gc.*}, {@code jvm.memory.*}, and
 * {@code jvm.gc.overhead} / {@code jvm.memory.usage.after.gc} from {@link JvmHeapPressureMetrics}), plus what the
 * GC-pressure check last saw: {@code readiness.gc.pressure.overhead} and {@code readiness.gc.pressure.heap.after.gc}
 * (shares 0..1, NaN before the check ran). Close it to remove the GC notification listeners.
 */
public final class GcPressureMetrics implements MeterBinder, AutoCloseable {

    private final GcPressureCheck check;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();

    /** @param check the registered check, or {@code null} to bind Micrometer's JVM binders only */
    public GcPressureMetrics(GcPressureCheck check) {
        this.check = check;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gcMetrics.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        if (check != null) {
            Gauge.builder("readiness.gc.pressure.overhead", check, GcPressureCheck::lastOverhead)
                    .description("share of time in GC pauses seen by the gc-pressure liveness check")
                    .register(registry);
            Gauge.builder("readiness.gc.pressure.heap.after.gc", check, GcPressureCheck::lastHeapAfterGc)
                    .description("heap after the latest GC as a share of the maximum, seen by the gc-pressure check")
                    .register(registry);
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        heapPressure.close();
    }
}
