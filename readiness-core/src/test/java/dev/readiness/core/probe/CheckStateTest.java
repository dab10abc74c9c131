package dev.readiness.core.probe;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CheckStateTest {

    private long now = 5_000;

    private CheckSnapshot record(CheckState s, boolean up) {
        now += 1_000;
        return s.record(up ? CheckResult.up() : CheckResult.down("boom"), Duration.ofMillis(3), false, now,
                Instant.EPOCH);
    }

    private static CheckState state(int failures, int successes) {
        return new CheckState(Probe.READINESS, "db",
                CheckOptions.builder().failureThreshold(failures).successThreshold(successes).build());
    }

    @Test
    void isUnknownBeforeTheFirstEvaluation() {
        CheckSnapshot s = state(3, 2).snapshot();
        assertThat(s.status()).isEqualTo(Status.UNKNOWN);
        assertThat(s.lastCompleted()).isNull();
        assertThat(s.passes(Probe.READINESS)).isFalse();
        assertThat(s.passes(Probe.LIVENESS)).as("liveness must not fail a slow start").isTrue();
    }

    @Test
    void firstFailureFromUnknownIsDownAtOnce() {
        assertThat(record(state(3, 1), false).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void upTurnsDownOnlyAfterFailureThresholdConsecutiveFailures() {
        CheckState s = state(3, 1);
        assertThat(record(s, true).status()).isEqualTo(Status.UP);
        CheckSnapshot first = record(s, false);
        assertThat(first.status()).isEqualTo(Status.UP);
        assertThat(first.message()).isEqualTo("failing 1 of 3: boom");
        assertThat(record(s, false).status()).isEqualTo(Status.UP);
        CheckSnapshot third = record(s, false);
        assertThat(third.status()).isEqualTo(Status.DOWN);
        assertThat(third.message()).isEqualTo("boom");
        assertThat(third.consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void aSuccessBetweenFailuresResetsTheCount() {
        CheckState s = state(2, 1);
        record(s, true);
        record(s, false);
        record(s, true);
        assertThat(record(s, false).status()).isEqualTo(Status.UP);
        assertThat(record(s, false).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void downTurnsUpOnlyAfterSuccessThresholdConsecutiveSuccesses() {
        CheckState s = state(1, 3);
        record(s, false);
        CheckSnapshot one = record(s, true);
        assertThat(one.status()).isEqualTo(Status.DOWN);
        assertThat(one.message()).isEqualTo("recovering: 1 of 3 successes");
        record(s, true);
        record(s, false); // resets the successes
        record(s, true);
        assertThat(record(s, true).status()).isEqualTo(Status.DOWN);
        assertThat(record(s, true).status()).isEqualTo(Status.UP);
    }

    @Test
    void unknownNeedsSuccessThresholdSuccessesAndSaysWhy() {
        CheckState s = state(1, 2);
        CheckSnapshot one = record(s, true);
        assertThat(one.status()).isEqualTo(Status.UNKNOWN);
        assertThat(one.message()).isEqualTo("starting: 1 of 2 successes");
        assertThat(record(s, true).status()).isEqualTo(Status.UP);
    }

    @Test
    void aResultTurnsStaleAfterStaleAfterAndIsThenDown() {
        CheckState s = new CheckState(Probe.READINESS, "db", CheckOptions.builder()
                .interval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1)).staleAfter(Duration.ofSeconds(10)).build());
        CheckSnapshot up = record(s, true);
        long tenSeconds = Duration.ofSeconds(10).toNanos();
        assertThat(up.at(now + tenSeconds).status()).as("exactly at the limit").isEqualTo(Status.UP);
        CheckSnapshot stale = up.at(now + tenSeconds + 1);
        assertThat(stale.status()).isEqualTo(Status.DOWN);
        assertThat(stale.message()).startsWith("stale: last result is 10000 ms old (limit 10000 ms)");
    }

    @Test
    void anUnknownCheckNeverTurnsStale() {
        CheckSnapshot s = state(1, 1).snapshot();
        assertThat(s.at(Long.MAX_VALUE).status()).isEqualTo(Status.UNKNOWN);
        assertThat(s.at(Long.MIN_VALUE).status()).isEqualTo(Status.UNKNOWN);
    }
}
