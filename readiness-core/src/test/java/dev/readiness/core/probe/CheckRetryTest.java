package dev.readiness.core.probe;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A check that has never succeeded is retried at a short, doubling delay instead of waiting a whole interval:
 * on a fake clock, nothing here sleeps.
 */
class CheckRetryTest extends ManualClockTest {

    /** The defaults: every 5 s, timeout 2 s, first retry after 100 ms. */
    private static final CheckOptions DEFAULTS = CheckOptions.defaults();
    private static final Duration STEP = Duration.ofMillis(50);

    CheckRetryTest() {
        super(STEP);
    }

    /** Answers what the test sets and records when, in ms since the test began, it was evaluated. */
    final class Recorded implements DependencyCheck {
        final List<Long> at = new CopyOnWriteArrayList<>();
        volatile CheckResult next = CheckResult.down("connection refused");

        @Override
        public CheckResult check(Duration timeout) {
            at.add((ticker.nanoTime() - t0) / 1_000_000);
            return next;
        }
    }

    @Test
    void aDependencyDownAtTheFirstEvaluationIsReadyOneHundredMsAfterItAnswersNotAnIntervalLater() {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);

        redis.next = CheckResult.up();
        runFor(Duration.ofMillis(100));
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        assertThat(redis.at).containsExactly(0L, 100L);
    }

    @Test
    void retriesDoubleTheirDelayAndStopOnceItReachesTheInterval() {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        runFor(Duration.ofSeconds(16));
        // retries after 100, 200, 400, 800, 1600 and 3200 ms; 6400 ms would exceed the 5 s interval
        assertThat(redis.at).containsExactly(0L, 100L, 300L, 700L, 1500L, 3100L, 5000L, 6300L, 10000L, 15000L);
        assertThat(registry.checks().get(0).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void fromTheFirstSuccessOnOnlyTheIntervalPacesEvaluationsWhenRecoveryIsOff() {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().recoveryInterval(Duration.ZERO).build());
        startNow();
        redis.next = CheckResult.up();
        runFor(Duration.ofMillis(100));
        redis.next = CheckResult.down("connection reset");
        runFor(Duration.ofSeconds(11));
        assertThat(redis.at).containsExactly(0L, 100L, 5000L, 10000L);
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
    }

    @Test
    void aSuccessThresholdStillCountsIntervalsAfterTheFirstSuccess() {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().successThreshold(2).build());
        startNow();
        redis.next = CheckResult.up();
        runFor(Duration.ofMillis(4900));
        assertThat(registry.checks().get(0).message()).isEqualTo("recovering: 1 of 2 successes");
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
        runFor(Duration.ofMillis(100));
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        assertThat(redis.at).containsExactly(0L, 100L, 5000L);
    }

    @Test
    void aFirstEvaluationThatTimesOutIsRetriedSoonAfterItReturns() {
        Recorded redis = new Recorded();
        redis.next = CheckResult.up();
        registry.readiness("redis", redis, DEFAULTS);
        registry.start();
        registry.markStarted();
        scheduler.advance(Duration.ZERO); // the evaluation starts, and hangs until the workers run
        scheduler.advance(DEFAULTS.timeout());
        assertThat(registry.checks().get(0).timedOut()).isTrue();
        workers.runAll(); // it returns UP, too late to count
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);

        runFor(Duration.ofMillis(100)); // the retry, 100 ms later instead of at the next interval
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        assertThat(redis.at).containsExactly(2000L, 2100L);
    }

    /** Zero turns the retries off; a first retry delay as long as the interval leaves nothing to retry early. */
    @ParameterizedTest(name = "initial-retry-delay {0} ms")
    @ValueSource(longs = {0, 5000})
    void anInitialRetryDelayOfZeroOrTheIntervalLeavesTheIntervalAlone(long delayMillis) {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().initialRetryDelay(Duration.ofMillis(delayMillis)).build());
        startNow();
        runFor(Duration.ofSeconds(11));
        assertThat(redis.at).containsExactly(0L, 5000L, 10000L);
    }

    @Test
    void closingTheRegistryCancelsAPendingRetry() {
        Recorded redis = new Recorded();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        assertThat(scheduler.pending()).as("the fixed-rate schedule and one retry").isEqualTo(2);
        registry.close();
        assertThat(scheduler.pending()).isZero();
        runFor(Duration.ofSeconds(1));
        assertThat(redis.at).containsExactly(0L);
    }
}
