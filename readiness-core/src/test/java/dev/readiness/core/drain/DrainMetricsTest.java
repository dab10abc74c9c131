package dev.readiness.core.drain;

import dev.readiness.core.probe.HealthRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DrainMetricsTest {

    @Test
    void metersFollowThePhaseTheInFlightCountAndRecordDurations() {
        AtomicLong now = new AtomicLong();
        try (HealthRegistry registry = HealthRegistry.builder().ticker(now::get).build()) {
            GracefulDrain drain = GracefulDrain.builder(registry)
                    .sleeper(d -> now.addAndGet(d.toNanos()))
                    .halter(code -> { })
                    .build();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new DrainMetrics(drain).bindTo(meters);

            assertThat(meters.get("readiness.drain.phase").tag("phase", "serving").gauge().value()).isEqualTo(1);
            assertThat(meters.get("readiness.drain.phase").tag("phase", "stopped").gauge().value()).isZero();
            InFlightTracker.Request r = drain.tracker().begin();
            assertThat(meters.get("readiness.drain.in.flight").gauge().value()).isEqualTo(1);
            r.end();
            assertThat(meters.get("readiness.drain.in.flight").gauge().value()).isZero();

            drain.drain();

            assertThat(meters.get("readiness.drain.phase").tag("phase", "stopped").gauge().value()).isEqualTo(1);
            assertThat(meters.get("readiness.drain.phase").tag("phase", "serving").gauge().value()).isZero();
            assertThat(meters.get("readiness.drain.duration").tag("phase", "propagating").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(Duration.ofSeconds(5).toMillis());
            assertThat(meters.get("readiness.drain.duration").tag("phase", "total").timer().count()).isEqualTo(1);
            assertThat(meters.get("readiness.drain.duration").tag("phase", "total").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(5000);
        }
    }
}
