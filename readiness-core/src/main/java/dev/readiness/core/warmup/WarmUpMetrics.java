package dev.readiness.core.warmup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Meters of the warm-up: {@code readiness.warmup.duration} (gauge, seconds the last warm-up took; NaN before it
 * ran) and {@code readiness.warmup.tasks{result=ok|failed|timed_out|skipped}} (gauges: the tasks of the last warm-up by
 * result). The meters hold the report supplier strongly: a method reference would otherwise be collected.
 */
public final class WarmUpMetrics implements MeterBinder {

    private final Supplier<WarmUpReport> last;

    public WarmUpMetrics(WarmUp warmUp) {
        this(Objects.requireNonNull(warmUp, "warmUp")::lastReport);
    }

    /** Meters over the last report {@code last} gives ({@code null} before the warm-up ran). */
    public WarmUpMetrics(Supplier<WarmUpReport> last) {
        this.last = Objects.requireNonNull(last, "last");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("readiness.warmup.duration", last,
                        l -> l.get() == null ? Double.NaN : l.get().took().toNanos() / 1e9)
                .description("seconds the warm-up took before readiness turned UP").baseUnit("seconds")
                .strongReference(true).register(registry);
        for (WarmUpReport.Result r : WarmUpReport.Result.values()) {
            Gauge.builder("readiness.warmup.tasks", last, l -> l.get() == null ? 0 : l.get().count(r))
                    .description("tasks of the last warm-up by result").tag("result", r.name().toLowerCase(Locale.ROOT))
                    .strongReference(true).register(registry);
        }
    }
}
