package dev.readiness.core.metrics;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.time.FakeTicker;
import dev.readiness.core.time.ManualExecutor;
import dev.readiness.core.time.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProbeMetricsTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualExecutor workers = new ManualExecutor();
    private final HealthRegistry registry = HealthRegistry.builder().ticker(ticker).executors(scheduler, workers)
            .build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CheckOptions options = CheckOptions.builder().interval(Duration.ofSeconds(1))
            .timeout(Duration.ofMillis(500)).build();

    @AfterEach
    void close() {
        registry.close();
    }

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void probeAndStateGaugesFollowTheRegistry() {
        new ProbeMetrics(registry).bindTo(meters);
        registry.readiness("db", (DependencyCheck) t -> CheckResult.up(), options).start();
        assertThat(gauge("readiness.probe.up", "probe", "readiness")).isZero();
        assertThat(gauge("readiness.probe.up", "probe", "liveness")).isOne();
        assertThat(gauge("readiness.availability.state", "state", "starting")).isOne();
        registry.markStarted();
        scheduler.advance(Duration.ZERO);
        workers.runAll();
        assertThat(gauge("readiness.probe.up", "probe", "readiness")).isOne();
        assertThat(gauge("readiness.availability.state", "state", "ready")).isOne();
        assertThat(gauge("readiness.availability.state", "state", "starting")).isZero();
    }

    @Test
    void checkStatusDurationAndTimeoutsAreRecordedPerCheck() {
        registry.readiness("cache", (DependencyCheck) t -> CheckResult.down("refused"),
                options.toBuilder().required(false).build());
        new ProbeMetrics(registry).bindTo(meters);
        registry.readiness("late", (DependencyCheck) t -> CheckResult.up(), options); // registered after binding
        registry.start();
        registry.markStarted();
        assertThat(gauge("readiness.check.status", "check", "cache", "required", "false")).isEqualTo(-1);
        scheduler.advance(Duration.ZERO);
        workers.runAll();
        assertThat(gauge("readiness.check.status", "check", "cache", "required", "false")).isZero();
        assertThat(gauge("readiness.check.status", "check", "late", "required", "true")).isOne();
        assertThat(gauge("readiness.probe.degraded", "probe", "readiness")).isOne();
        assertThat(gauge("readiness.probe.up", "probe", "readiness")).as("degraded is still up").isOne();
        assertThat(meters.get("readiness.check.duration").tags("check", "cache", "result", "down").timer().count())
                .isEqualTo(1);

        scheduler.advance(Duration.ofSeconds(1)); // both evaluations hang...
        scheduler.advance(Duration.ofMillis(500)); // ...and time out
        assertThat(meters.get("readiness.check.timeouts").tags("check", "late").counter().count()).isEqualTo(1);
        assertThat(meters.get("readiness.check.duration").tags("check", "late", "result", "timeout").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(500);
        assertThat(gauge("readiness.check.status", "check", "late", "required", "true")).isZero();
    }
}
