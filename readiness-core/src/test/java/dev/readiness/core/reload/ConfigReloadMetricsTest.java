package dev.readiness.core.reload;

import dev.readiness.testkit.KubeletAtomicWriter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReloadMetricsTest {

    @TempDir
    Path dir;

    @Test
    void metersCountReloadsByResultAndFollowGenerationAndLastSuccess() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("a.properties", "a=1"));
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        // no events and an hourly check: only the reloads this test asks for run
        ConfigMapWatcher w = ConfigMapWatcher.builder().directory(dir).clock(Clock.fixed(at, ZoneOffset.UTC))
                .fileEvents(false).pollInterval(Duration.ofHours(1))
                .listener(c -> {
                    throw new IllegalStateException("boom");
                }).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ConfigReloadMetrics(w, Tags.of("volume", "app")).bindTo(registry);

        assertThat(registry.get("readiness.config.last.success").timeGauge().value(TimeUnit.SECONDS)).isNaN();
        try (w) {
            w.start();
            writer.write(Map.of("a.properties", "a=\\uXYZW"));
            w.reloadNow();
            w.reloadNow();
            writer.write(Map.of("a.properties", "a=2"));
            w.reloadNow();
            w.reloadNow();

            assertThat(count(registry, "success")).isEqualTo(2);
            assertThat(count(registry, "invalid")).isEqualTo(2);
            assertThat(count(registry, "unchanged")).isEqualTo(1);
            assertThat(count(registry, "read_error")).isZero();
            assertThat(registry.get("readiness.config.listener.failures").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("readiness.config.generation").tag("volume", "app").gauge().value())
                    .isEqualTo(2);
            assertThat(registry.get("readiness.config.last.success").timeGauge().value(TimeUnit.SECONDS))
                    .isEqualTo(at.getEpochSecond());
        }
    }

    private static double count(SimpleMeterRegistry registry, String result) {
        return registry.get("readiness.config.reloads").tag("result", result).functionCounter().count();
    }
}
