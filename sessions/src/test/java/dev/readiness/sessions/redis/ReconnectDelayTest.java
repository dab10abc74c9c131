package dev.readiness.sessions.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectDelayTest {

    private static final Duration MAX = Duration.ofSeconds(1);

    @Test
    void growsFromTenMillisecondsAndNeverWaitsLongerThanTheCap() {
        ReconnectDelay d = new ReconnectDelay(MAX);
        assertThat(d.createDelay(1)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
        assertThat(d.createDelay(2)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
        for (long attempt = 1; attempt < 10_000; attempt *= 3) {
            assertThat(d.createDelay(attempt)).isLessThanOrEqualTo(MAX);
        }
        assertThat(d.createDelay(Long.MAX_VALUE)).isLessThanOrEqualTo(MAX).isGreaterThanOrEqualTo(MAX.dividedBy(2));
    }

    /** Lettuce's equalJitter caps after drawing: at attempt 12 nearly every wait would be exactly the cap. */
    @Test
    void aLongOutageKeepsItsAttemptsSpreadBetweenHalfTheCapAndTheCap() {
        ReconnectDelay d = new ReconnectDelay(MAX);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            waits.add(d.createDelay(12));
        }
        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(MAX.dividedBy(2), MAX));
        long atTheCap = waits.stream().filter(w -> w.compareTo(MAX.minusMillis(10)) >= 0).count();
        assertThat(atTheCap).as("waits within 10 ms of the cap, of 1000").isLessThan(100);
        long belowThreeQuarters = waits.stream().filter(w -> w.compareTo(MAX.multipliedBy(3).dividedBy(4)) < 0).count();
        assertThat(belowThreeQuarters).as("waits in the lower half of the jitter range, of 1000").isBetween(300L, 700L);
    }

    @Test
    void aCapBelowTheFirstStepIsRefused() {
        assertThatThrownBy(() -> new ReconnectDelay(Duration.ofMillis(5))).isInstanceOf(IllegalArgumentException.class);
    }
}
