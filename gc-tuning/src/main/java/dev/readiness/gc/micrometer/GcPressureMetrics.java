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
    private final JvmGcMetrics gcMetrics;
    private final JvmHeapPressureMetrics heapPressure;

    /** @param check the registered check, or {@code null} to bind Micrometer's JVM binders only */
    public GcPressureMetrics(GcPressureCheck check) {
        this(check, true);
    }

    /**
     * @param check      the registered check, or {@code null}
     * @param jvmBinders whether to bind Micrometer's JVM GC and memory binders too; {@code false} where the
     *                   application binds them already (Spring Boot's JVM metrics), so no meter is registered twice
     */
    public GcPressureMetrics(GcPressureCheck check, boolean jvmBinders) {
        this.check = check;
        this.gcMetrics = jvmBinders ? new JvmGcMetrics() : null;
        this.heapPressure = jvmBinders ? new JvmHeapPressureMetrics() : null;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (gcMetrics != null) {
            gcMetrics.bindTo(registry);
            heapPressure.bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
        }
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
        if (gcMetrics != null) {
            gcMetrics.close();
            heapPressure.close();
        }
    }
}
