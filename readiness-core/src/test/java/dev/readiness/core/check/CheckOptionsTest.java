package dev.readiness.core.check;

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
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ofSeconds(-1)).build())
                .hasMessage("interval must be a positive duration, was PT-1S");
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ZERO).build())
                .hasMessage("interval must be a positive duration, was PT0S");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ofMillis(-5)).build())
                .hasMessage("timeout must be a positive duration, was PT-0.005S");
        assertThatThrownBy(() -> CheckOptions.builder().initialDelay(Duration.ofSeconds(-1)).build())
                .hasMessage("initial-delay cannot be negative, was PT-1S");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(Duration.ofMillis(-100)).build())
                .hasMessage("initial-retry-delay cannot be negative, was PT-0.1S");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("initial-retry-delay");
        assertThatThrownBy(() -> CheckOptions.builder().failureThreshold(0).build())
                .hasMessage("failure-threshold must be at least 1, was 0");
        assertThatThrownBy(() -> CheckOptions.builder().successThreshold(Integer.MIN_VALUE).build())
                .hasMessage("success-threshold must be at least 1, was -2147483648");
        assertThatThrownBy(() -> CheckOptions.builder().interval(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("interval");
    }

    @Test
    void staleAfterShorterThanOneRoundIsRefused() {
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(2))
                .staleAfter(Duration.ofSeconds(6)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stale-after (PT6S) must be at least interval + timeout (PT7S)");
    }

    @Test
    void hugeDurationsAreRefusedInsteadOfOverflowingLater() {
        Duration huge = Duration.ofDays(999_999_999_999L);
        assertThatThrownBy(() -> CheckOptions.builder().interval(huge).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("interval must be at most PT24H");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(huge).build())
                .hasMessageStartingWith("timeout must be at most PT24H");
        assertThatThrownBy(() -> CheckOptions.builder().initialDelay(huge).build())
                .hasMessageStartingWith("initial-delay must be at most PT24H");
        assertThatThrownBy(() -> CheckOptions.builder().initialRetryDelay(huge).build())
                .hasMessageStartingWith("initial-retry-delay must be at most PT24H");
        assertThatThrownBy(() -> CheckOptions.builder().staleAfter(huge).build())
                .hasMessageStartingWith("stale-after must be at most PT96H");
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
