package dev.readiness.core.check;

import dev.readiness.core.config.ReadinessConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckOptionsTest {

    @Test
    void defaultsAreDocumented() {
        CheckOptions d = CheckOptions.defaults();
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.failureThreshold()).isEqualTo(1);
        assertThat(d.successThreshold()).isEqualTo(1);
        assertThat(d.staleAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(d.required()).isTrue();
        assertThat(d.worstCaseDetection()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void badValuesNameTheSettingAndTheValue() {
        // Options built in code fail the way a configured key does: one exception type naming the full key.
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.checks.interval=-1s is invalid: must be a positive duration of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ZERO).build())
                .hasMessage("readiness.checks.interval=0s is invalid: must be a positive duration of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ofMillis(-5)).build())
                .hasMessage("readiness.checks.timeout=-5ms is invalid: must be a positive duration of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().initialDelay(Duration.ofSeconds(-1)).build())
                .hasMessage("readiness.checks.initial-delay=-1s is invalid: must be between 0s and 1d");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(Duration.ofMillis(-100)).build())
                .hasMessage("readiness.checks.initial-retry-delay=-100ms is invalid: must be 0 (off) or a positive"
                        + " duration of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(null).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageStartingWith("readiness.checks.initial-retry-delay=(empty) is invalid");
        assertThatThrownBy(() -> CheckOptions.builder().failureThreshold(0).build())
                .hasMessage("readiness.checks.failure-threshold=0 is invalid: must be at least 1");
        assertThatThrownBy(() -> CheckOptions.builder().successThreshold(Integer.MIN_VALUE).build())
                .hasMessage("readiness.checks.success-threshold=-2147483648 is invalid: must be at least 1");
        assertThatThrownBy(() -> CheckOptions.builder().interval(null).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageStartingWith("readiness.checks.interval=(empty) is invalid");
    }

    @Test
    void staleAfterShorterThanOneRoundIsRefused() {
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(2))
                .staleAfter(Duration.ofSeconds(6)).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageStartingWith("readiness.checks.stale-after=6s is invalid: must be at least interval + timeout (7s)");
    }

    @Test
    void hugeDurationsAreRefusedInsteadOfOverflowingLater() {
        Duration huge = Duration.ofDays(999_999_999_999L);
        assertThatThrownBy(() -> CheckOptions.builder().interval(huge).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageStartingWith("readiness.checks.interval=999999999999d is invalid");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(huge).build())
                .hasMessageContaining("readiness.checks.timeout").hasMessageEndingWith("of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().initialDelay(huge).build())
                .hasMessageContaining("readiness.checks.initial-delay").hasMessageEndingWith("and 1d");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(huge).build())
                .hasMessageContaining("readiness.checks.initial-retry-delay").hasMessageEndingWith("of at most 1d");
        assertThatThrownBy(() -> CheckOptions.builder().staleAfter(huge).build())
                .hasMessageContaining("readiness.checks.stale-after").hasMessageEndingWith("and at most 4d");
        CheckOptions longest = CheckOptions.builder().interval(Duration.ofDays(1)).timeout(Duration.ofDays(1)).build();
        assertThat(longest.staleAfter()).isEqualTo(Duration.ofDays(4));
    }

    @Test
    void aDerivedStaleAfterFollowsANewIntervalInToBuilder() {
        // defaults() has stale-after 17 s derived from 5 s / 2 s; a 30 s interval must not inherit it
        CheckOptions slow = CheckOptions.defaults().toBuilder().interval(Duration.ofSeconds(30)).build();
        assertThat(slow.staleAfter()).isEqualTo(Duration.ofSeconds(92));
        CheckOptions pinned = CheckOptions.builder().staleAfter(Duration.ofMinutes(5)).build();
        assertThat(pinned.toBuilder().interval(Duration.ofSeconds(30)).build().staleAfter())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        CheckOptions o = CheckOptions.builder().interval(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(1))
                .initialDelay(Duration.ofSeconds(3)).initialRetryDelay(Duration.ofMillis(250)).failureThreshold(4)
                .successThreshold(5).staleAfter(Duration.ofSeconds(30)).required(false).build();
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString()).contains("initialRetryDelay=PT0.25S");
    }

    @Test
    void retriesOfACheckThatNeverSucceededStartAt100MsByDefaultAndZeroTurnsThemOff() {
        assertThat(CheckOptions.defaults().initialRetryDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(CheckOptions.builder().initialRetryDelay(Duration.ZERO).build().initialRetryDelay()).isZero();
    }
}
