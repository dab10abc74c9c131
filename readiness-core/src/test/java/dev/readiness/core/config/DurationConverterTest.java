package dev.readiness.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @Test
    void readsTheFormsOperatorsWrite() {
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse(" 5S ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(DurationConverter.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5 s", "s", "1.5s", "5sec", "PT", "P1Y", "--5s", "0x10s", "٣s", "5s;rm -rf /"})
    void refusesAnythingElseSayingWhatIsAllowed(String value) {
        assertThatThrownBy(() -> DurationConverter.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DurationConverter.ALLOWED);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> DurationConverter.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
