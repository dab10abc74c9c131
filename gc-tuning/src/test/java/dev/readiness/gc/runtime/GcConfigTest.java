package dev.readiness.gc.runtime;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcConfigTest {

    static org.eclipse.microprofile.config.Config config(Map<String, String> values) {
        return ReadinessConfig.of(new PropertiesConfigSource(values, "test", 100));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        GcSettings c = GcConfig.from(config(Map.of()));
        assertThat(c.advisorEnabled()).isTrue();
        assertThat(c.pressureEnabled()).isTrue();
        assertThat(c.pressure()).isEqualTo(GcPressureSettings.defaults());
    }

    @Test
    void valuesAreRead() {
        GcPressureSettings s = GcConfig.from(config(Map.of("readiness.gc.pressure.window", "2m",
                "readiness.gc.pressure.overhead-percent", "30", "readiness.gc.pressure.heap-after-gc-percent", "90")))
                .pressure();
        assertThat(s).isEqualTo(new GcPressureSettings(Duration.ofMinutes(2), 30, 90));
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> GcConfig.from(config(Map.of("readiness.gc.pressure.overhead-percent", "0"))))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.gc.pressure.overhead-percent=0 is invalid: must be 1..100");
        assertThatThrownBy(() -> GcConfig.from(config(Map.of("readiness.gc.pressure.window", "100ms"))))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.gc.pressure.window=100ms is invalid: must be at least 1s");
        assertThatThrownBy(() -> GcConfig.from(config(Map.of("readiness.gc.pressure.window", "soon"))))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("soon");
    }

    @Test
    void installRegistersTheLivenessCheckUnlessDisabled() {
        try (HealthRegistry registry = HealthRegistry.create()) {
            assertThat(GcRuntime.install(registry, config(Map.of("readiness.gc.advisor.enabled", "false")))).isPresent();
            assertThat(registry.optionsOf(Probe.LIVENESS, GcRuntime.CHECK_NAME)).isNotNull();
        }
        try (HealthRegistry registry = HealthRegistry.create()) {
            assertThat(GcRuntime.install(registry, config(Map.of("readiness.gc.pressure.enabled", "false")))).isEmpty();
            assertThat(registry.checks()).isEmpty();
        }
    }
}
