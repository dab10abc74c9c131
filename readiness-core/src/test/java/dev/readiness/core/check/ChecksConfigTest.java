package dev.readiness.core.check;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksConfigTest {

    private static CheckOptions read(Map<String, String> props) {
        return ChecksConfig.from(ReadinessConfig.of(new PropertiesConfigSource(props, "test", 100)));
    }

    @Test
    void defaultsMatchCheckOptionsDefaults() {
        assertThat(read(Map.of()).toString()).isEqualTo(CheckOptions.defaults().toString());
    }

    @Test
    void everyKeyIsRead() {
        CheckOptions o = read(Map.of("readiness.checks.interval", "250ms", "readiness.checks.timeout", "PT0.1S",
                "readiness.checks.failure-threshold", "3", "readiness.checks.success-threshold", "2",
                "readiness.checks.stale-after", "2m", "readiness.checks.initial-retry-delay", "0ms"));
        assertThat(o.interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.failureThreshold()).isEqualTo(3);
        assertThat(o.successThreshold()).isEqualTo(2);
        assertThat(o.staleAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.initialRetryDelay()).isZero();
    }

    @Test
    void environmentVariablesMapTheMicroProfileWay() {
        CheckOptions o = ChecksConfig.from(ReadinessConfig.of(new EnvConfigSource(Map.of(
                "READINESS_CHECKS_INTERVAL", "10s", "READINESS_CHECKS_FAILURE_THRESHOLD", "4"), 300)));
        assertThat(o.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.failureThreshold()).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            readiness.checks.interval          | -5s            | must be a positive duration
            readiness.checks.interval          | 0s             | must be a positive duration
            readiness.checks.interval          | 5              | written as 250ms
            readiness.checks.interval          | five seconds   | written as 250ms
            readiness.checks.interval          | 5 s s          | written as 250ms
            readiness.checks.interval          | PT             | written as 250ms
            readiness.checks.interval          | 999999999999d  | of at most
            readiness.checks.interval          | 9999999999999999999999s | written as 250ms
            readiness.checks.timeout           | -1ms           | must be a positive duration
            readiness.checks.timeout           | 1x             | written as 250ms
            readiness.checks.timeout           | 25h            | of at most
            readiness.checks.failure-threshold | 0              | must be at least 1
            readiness.checks.failure-threshold | -3             | must be at least 1
            readiness.checks.failure-threshold | three          | three
            readiness.checks.failure-threshold | 99999999999    | 99999999999
            readiness.checks.success-threshold | 0              | must be at least 1
            readiness.checks.success-threshold | 1.5            | 1.5
            readiness.checks.stale-after       | 1s             | must be at least interval + timeout
            readiness.checks.stale-after       | -1s            | must be at least interval + timeout
            readiness.checks.stale-after       | 3650d          | and at most
            readiness.checks.initial-retry-delay | -100ms       | must be 0 (off) or a positive duration
            readiness.checks.initial-retry-delay | soon         | written as 250ms
            readiness.checks.initial-retry-delay | 2d           | of at most
            """)
    void aBrokenValueFailsNamingTheKeyAndTheValue(String key, String value, String allowed) {
        assertThatThrownBy(() -> read(Map.of(key, value)))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value)
                .hasMessageContaining(allowed);
    }

    @Test
    void hostileTextIsQuotedNotInterpreted() {
        String hostile = "${java.home}\n<script>";
        assertThatThrownBy(() -> read(Map.of("readiness.checks.interval", hostile)))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.checks.interval");
    }

    @Test
    void anEmptyValueIsNoValueAndKeepsTheDefault() {
        // The MicroProfile rule, and Spring Boot's: READINESS_CHECKS_INTERVAL= is the same as not setting it.
        assertThat(read(Map.of("readiness.checks.interval", "", "readiness.checks.timeout", "  ")).toString())
                .isEqualTo(CheckOptions.defaults().toString());
    }

    @Test
    void theMessageQuotesTheValueAsWrittenNotAsConverted() {
        assertThatThrownBy(() -> read(Map.of("readiness.checks.interval", "-5s")))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.checks.interval=-5s is invalid: must be a positive duration of at most 1d")
                .satisfies(e -> {
                    ReadinessConfigException r = (ReadinessConfigException) e;
                    org.assertj.core.api.Assertions.assertThat(r.key()).isEqualTo("readiness.checks.interval");
                    org.assertj.core.api.Assertions.assertThat(r.value()).isEqualTo("-5s");
                });
    }
}
