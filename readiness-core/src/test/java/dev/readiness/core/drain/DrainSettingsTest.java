package dev.readiness.core.drain;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrainSettingsTest {

    private static DrainSettings fromProperties(Map<String, String> props) {
        return DrainConfig.from(ReadinessConfig.of(new PropertiesConfigSource(props, "test", 100)));
    }

    @Test
    void defaultsFitKubernetesDefaultGracePeriod() {
        DrainSettings s = fromProperties(Map.of());
        assertThat(s.propagationDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.resourceCloseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.exitCode()).isEqualTo(OptionalInt.of(0));
        assertThat(s.gracePeriodProblem()).isEmpty();
    }

    @Test
    void environmentVariablesAreTheSampleContract() {
        DrainSettings s = DrainConfig.from(ReadinessConfig.of(new EnvConfigSource(Map.of(
                "READINESS_DRAIN_PROPAGATION_DELAY", "1500ms", "READINESS_DRAIN_TIMEOUT", "PT3S",
                "READINESS_DRAIN_EXIT_CODE", "jvm"), 300)));
        assertThat(s.propagationDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.exitCode()).isEmpty();
    }

    @Test
    void sumOverGracePeriodIsReportedWithTheNumbersAndTheFix() {
        DrainSettings s = fromProperties(Map.of("readiness.drain.propagation-delay", "10s",
                "readiness.drain.timeout", "25s"));
        assertThat(s.gracePeriodProblem()).hasValueSatisfying(m -> assertThat(m)
                .contains("propagation-delay 10s + timeout 25s + resource-close-timeout 2s = 37s")
                .contains("termination-grace-period 30s")
                .contains("terminationGracePeriodSeconds: 38")
                .contains("readiness.drain.timeout to 17s"));
    }

    @Test
    void propagationDelayAloneOverGracePeriodSuggestsLoweringIt() {
        DrainSettings s = fromProperties(Map.of("readiness.drain.propagation-delay", "40s"));
        assertThat(s.gracePeriodProblem()).hasValueSatisfying(m -> assertThat(m)
                .contains("or lower readiness.drain.propagation-delay")
                .doesNotContain("timeout to -"));
    }

    @Test
    void zeroPropagationDelayIsAllowed() {
        assertThat(fromProperties(Map.of("readiness.drain.propagation-delay", "0s")).propagationDelay())
                .isZero();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "readiness.drain.propagation-delay, -1s, must be between 0s and 1h",
            "readiness.drain.timeout, -5s, must be between 0s and 1h",
            "readiness.drain.resource-close-timeout, 0s, must be a positive duration",
            "readiness.drain.termination-grace-period, 0s, must be a positive duration",
            "readiness.drain.timeout, 2h, must be between 0s and 1h",
            "readiness.drain.exit-code, 256, must be 0..255",
            "readiness.drain.exit-code, -1, must be 0..255",
            "readiness.drain.exit-code, zero, must be 0..255",
    })
    void badValuesNameTheKeyAndTheValue(String key, String value, String allowed) {
        assertThatThrownBy(() -> fromProperties(Map.of(key, value)))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"5", "five seconds", "5 s;", "'\u0000'", "PT"})
    void unparsableDurationsNameTheKey(String value) {
        assertThatThrownBy(() -> fromProperties(Map.of("readiness.drain.timeout", value)))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.drain.timeout");
    }

    @Test
    void builderRejectsMissingDuration() {
        assertThatThrownBy(() -> DrainSettings.builder().timeout(null).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.drain.timeout");
    }
}
