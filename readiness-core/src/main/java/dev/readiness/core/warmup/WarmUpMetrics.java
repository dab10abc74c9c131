package dev.readiness.core.warmup;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Objects;

/**
 * Meters of the warm-up: {@code readiness.warmup.duration} (gauge, seconds the last warm-up took; NaN before it
 * ran) and {@code readiness.warmup.tasks{result=ok|failed|timed_out|skipped}} (counts of the last warm-up).
 */
public final class WarmUpMetrics implements MeterBinder {

    private final WarmUp warmUp;

    public WarmUpMetrics(WarmUp warmUp) {
        this.warmUp = Objects.requireNonNull(warmUp, "warmUp");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("readiness.warmup.duration", warmUp,
                        w -> w.lastReport() == null ? Double.NaN : w.lastReport().took().toNanos() / 1e9)
                .description("seconds the warm-up took before readiness turned UP").baseUnit("seconds")
                .register(registry);
        for (WarmUpReport.Result r : WarmUpReport.Result.values()) {
            FunctionCounter.builder("readiness.warmup.tasks", warmUp,
                            w -> w.lastReport() == null ? 0 : w.lastReport().count(r))
                    .description("warm-up tasks by result").tag("result", r.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }
}
