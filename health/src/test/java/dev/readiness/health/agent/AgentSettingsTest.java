package dev.readiness.health.agent;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentSettingsTest {

    private static AgentSettings read(Map<String, String> values) {
        return AgentSettings.from(SettingsSource.of(values));
    }

    @Test
    void missingKeysMeanTheDefaults() {
        AgentSettings s = read(Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.port()).isEqualTo(8082);
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.shedAbove()).isEqualTo(0.8);
        assertThat(s.shedFull()).isEqualTo(1.5);
        assertThat(s.hysteresis()).isEqualTo(0.1);
        assertThat(s.minWeight()).isEqualTo(10);
        assertThat(s.slowStart()).isZero();
    }

    @Test
    void readsEveryKey() {
        AgentSettings s = read(Map.of("readiness.agent.enabled", "true", "readiness.agent.port", "0",
                "readiness.agent.host", "127.0.0.1", "readiness.agent.read-timeout", "250ms",
                "readiness.agent.shed-above", "0.9", "readiness.agent.shed-full", "2",
                "readiness.agent.hysteresis", "0.2", "readiness.agent.min-weight", "25",
                "readiness.agent.slow-start", "30s"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.port()).isZero();
        assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.shedFull()).isEqualTo(2.0);
        assertThat(s.minWeight()).isEqualTo(25);
        assertThat(s.slowStart()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void brokenValuesFailNamingTheKeyAndTheValueAsWritten() {
        Map<String, String> broken = Map.ofEntries(
                Map.entry("readiness.agent.port", "65536"),
                Map.entry("readiness.agent.host", "bad host"),
                Map.entry("readiness.agent.read-timeout", "0s"),
                Map.entry("readiness.agent.shed-above", "NaN"),
                Map.entry("readiness.agent.shed-full", "1e3"),
                Map.entry("readiness.agent.hysteresis", "-0.1"),
                Map.entry("readiness.agent.min-weight", "0"),
                Map.entry("readiness.agent.slow-start", "2h"),
                Map.entry("readiness.agent.enabled", "yes please"));
        broken.forEach((key, value) -> assertThatThrownBy(() -> read(Map.of(key, value)))
                .as("%s=%s", key, value)
                .isInstanceOfSatisfying(ReadinessConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains(key);
                }));
    }

    @Test
    void hostileRatiosAreRefused() {
        for (String v : new String[] {"Infinity", "0x1p3", "1,5", " ", "1.5.5", "9".repeat(400), "0.8\u0000"}) {
            if (v.isBlank()) {
                assertThat(read(Map.of("readiness.agent.shed-above", v)).shedAbove()).isEqualTo(0.8);
                continue;
            }
            assertThatThrownBy(() -> read(Map.of("readiness.agent.shed-above", v)))
                    .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.agent.shed-above");
        }
    }

    @Test
    void shedFullMustBeAboveShedAboveAndHysteresisBelowIt() {
        assertThatThrownBy(() -> read(Map.of("readiness.agent.shed-above", "1.2", "readiness.agent.shed-full", "1.2")))
                .isInstanceOfSatisfying(ReadinessConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("readiness.agent.shed-full");
                    assertThat(e.getMessage()).contains("1.2").contains("above readiness.agent.shed-above");
                });
        assertThatThrownBy(() -> read(Map.of("readiness.agent.hysteresis", "0.8")))
                .isInstanceOfSatisfying(ReadinessConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("readiness.agent.hysteresis"));
    }
}
