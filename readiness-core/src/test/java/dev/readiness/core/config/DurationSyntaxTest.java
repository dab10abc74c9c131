package dev.readiness.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationSyntaxTest {

    @Test
    void writesTheLargestWholeUnit() {
        assertThat(Syntax.DURATION.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Syntax.DURATION.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Syntax.DURATION.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Syntax.DURATION.format(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Syntax.DURATION.format(Duration.ofNanos(1500))).isEqualTo("1500ns");
    }

    /** Found by ConfigSyntaxPropertiesTest: the format wrote 1000000000001ns, 13 digits, which the parser refuses. */
    @Test
    void aDurationThatNeedsMoreThanTwelveDigitsIsWrittenInIsoSoItReadsBack() {
        Duration d = Duration.parse("PT16M40.000000001S");
        assertThat(Syntax.DURATION.format(d)).isEqualTo("PT16M40.000000001S");
        assertThat(Syntax.DURATION.parse(Syntax.DURATION.format(d))).isEqualTo(d);
        Duration huge = Duration.ofSeconds(9_999_999_999_999L);
        assertThat(Syntax.DURATION.parse(Syntax.DURATION.format(huge))).isEqualTo(huge);
    }
}
