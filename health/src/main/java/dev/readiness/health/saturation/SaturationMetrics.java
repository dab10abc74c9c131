package dev.readiness.health.saturation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * The gauge {@code readiness.saturation{source}} (Prometheus {@code readiness_saturation}): busy plus queued work
 * over capacity, read from the {@link Saturation} on every scrape. NaN when the source cannot read its server.
 * The accept-queue depth beside it is the listen probe's {@code readiness.listen.queue.depth}.
 */
public final class SaturationMetrics implements MeterBinder {

    /** The gauge's name. */
    public static final String NAME = "readiness.saturation";

    private final Saturation saturation;

    public SaturationMetrics(Saturation saturation) {
        this.saturation = Objects.requireNonNull(saturation, "saturation");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(NAME, saturation, Saturation::value)
                .description("busy workers plus queued work over capacity: 0 idle, 1 every worker busy, above 1 queued")
                .tag("source", saturation.source())
                .strongReference(true) // a source made inline for the binder is held by nothing else
                .register(registry);
    }
}
