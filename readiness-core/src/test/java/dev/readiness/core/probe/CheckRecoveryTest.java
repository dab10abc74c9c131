package dev.readiness.core.probe;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.metrics.ProbeMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery follows the dependency: a check that is DOWN is re-evaluated at the recovery interval until one
 * evaluation passes, and a check whose client reports connection events turns DOWN when a loss outlasts the grace
 * and is evaluated at once on reconnect. On a fake clock: nothing here sleeps.
 */
class CheckRecoveryTest extends ManualClockTest {

    /** The defaults: every 5 s, timeout 2 s, recovery every 1 s (jittered 0.5 to 1 s), connection grace 1 s. */
    private static final CheckOptions DEFAULTS = CheckOptions.defaults();
    private static final Duration STEP = Duration.ofMillis(10);

    CheckRecoveryTest() {
        super(STEP);
    }

    /** Answers what the test sets, records when (ms since the test began) it ran, and keeps the signals it got. */
    final class Dependency implements DependencyCheck, ConnectionAware {
        final List<Long> at = new CopyOnWriteArrayList<>();
        volatile CheckResult next = CheckResult.up();
        volatile ConnectionSignals signals;
        volatile boolean unwatched;

        @Override
        public CheckResult check(Duration timeout) {
            at.add(now());
            return next;
        }

        @Override
        public AutoCloseable watch(ConnectionSignals s) {
            signals = s;
            return () -> unwatched = true;
        }
    }

    /** The same without connection events. */
    final class Polled implements DependencyCheck {
        final List<Long> at = new CopyOnWriteArrayList<>();
        volatile CheckResult next = CheckResult.up();

        @Override
        public CheckResult check(Duration timeout) {
            at.add(now());
            return next;
        }
    }

    private long now() {
        return (ticker.nanoTime() - t0) / 1_000_000;
    }

    private Status status() {
        return registry.checks().get(0).status();
    }

    private static List<Long> gaps(List<Long> at, int from) {
        List<Long> out = new ArrayList<>();
        for (int i = from + 1; i < at.size(); i++) {
            out.add(at.get(i) - at.get(i - 1));
        }
        return out;
    }

    @Test
    void aCheckThatIsDownIsEvaluatedEverySecondOrLessUntilItPassesThenAtTheIntervalAgain() {
        Polled db = new Polled();
        registry.readiness("db", db, DEFAULTS);
        startNow();
        runFor(Duration.ofMillis(4000));
        assertThat(db.at).containsExactly(0L);

        db.next = CheckResult.down("connection refused");
        runFor(Duration.ofMillis(1000)); // the 5 s evaluation fails
        assertThat(status()).isEqualTo(Status.DOWN);
        runFor(Duration.ofMillis(6000));
        int firstFailure = 1;
        List<Long> whileDown = gaps(db.at, firstFailure);
        // the recovery evaluations, 0.5 to 1 s apart, with the fixed-rate one at 10 s among them
        assertThat(whileDown).as("evaluations while DOWN, ms apart").hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(g -> assertThat(g).isBetween(STEP.toMillis(), 1000L + STEP.toMillis()));
        assertThat(whileDown.stream().filter(g -> g >= 500 - STEP.toMillis()).count())
                .as("jittered between half and all of the recovery interval").isGreaterThanOrEqualTo(5);

        db.next = CheckResult.up();
        long back = now();
        runFor(Duration.ofMillis(1010));
        assertThat(status()).as("UP within one recovery interval of the dependency's return").isEqualTo(Status.UP);
        long upAt = db.at.get(db.at.size() - 1);
        assertThat(upAt - back).isLessThanOrEqualTo(1010L);

        int passed = db.at.size();
        runFor(Duration.ofSeconds(10));
        assertThat(db.at.subList(passed, db.at.size())).as("only the 5 s interval paces once it passes")
                .hasSizeBetween(1, 2)
                .allSatisfy(t -> assertThat(t % 5000).isZero());
    }

    @Test
    void aFailingCheckThatIsStillUpUnderItsFailureThresholdIsNotHurriedToDown() {
        Polled db = new Polled();
        registry.readiness("db", db, DEFAULTS.toBuilder().failureThreshold(3).build());
        startNow();
        db.next = CheckResult.down("slow");
        runFor(Duration.ofMillis(12_000));
        assertThat(db.at).containsExactly(0L, 5000L, 10000L);
        assertThat(status()).isEqualTo(Status.UP);
        runFor(Duration.ofMillis(3_000));
        assertThat(status()).as("the third failure, at the interval").isEqualTo(Status.DOWN);
        assertThat(db.at).containsExactly(0L, 5000L, 10000L, 15000L);
    }

    @Test
    void aSuccessThresholdAboveOneCountsTheRestInIntervalsAfterTheFirstPass() {
        Polled db = new Polled();
        registry.readiness("db", db, DEFAULTS.toBuilder().successThreshold(2).build());
        startNow();
        runFor(Duration.ofMillis(5000)); // UP after 0 ms and 5000 ms
        assertThat(status()).isEqualTo(Status.UP);
        db.next = CheckResult.down("refused");
        runFor(Duration.ofMillis(5000)); // DOWN at 10 000 ms
        assertThat(status()).isEqualTo(Status.DOWN);
        db.next = CheckResult.up();
        runFor(Duration.ofMillis(1010));
        assertThat(registry.checks().get(0).message()).isEqualTo("recovering: 1 of 2 successes");
        int afterFirstPass = db.at.size();
        runFor(Duration.ofMillis(5000));
        assertThat(status()).isEqualTo(Status.UP);
        assertThat(db.at.subList(afterFirstPass, db.at.size())).containsExactly(15000L);
    }

    @Test
    void aRecoveryIntervalOfZeroOrNotBelowTheIntervalLeavesRecoveryToTheInterval() {
        for (Duration recovery : List.of(Duration.ZERO, Duration.ofSeconds(5))) {
            HealthRegistry r = HealthRegistry.builder().ticker(ticker).executors(scheduler, workers).build();
            Polled db = new Polled();
            long start = now();
            r.readiness("db", db, DEFAULTS.toBuilder().recoveryInterval(recovery).build());
            r.start();
            r.markStarted();
            runFor(Duration.ofMillis(10));
            db.next = CheckResult.down("refused");
            runFor(Duration.ofMillis(11_000));
            assertThat(db.at).as("recovery-interval %s", recovery)
                    .containsExactly(start + 10, start + 5000, start + 10000);
            r.close();
        }
    }

    @Test
    void aLostConnectionNotRestoredWithinTheGraceIsDownAtOnceWhateverTheFailureThreshold() {
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().failureThreshold(3).build());
        startNow();
        assertThat(status()).isEqualTo(Status.UP);
        runFor(Duration.ofMillis(500));

        redis.next = CheckResult.down("connection refused");
        redis.signals.lost("connection to localhost:6379 closed");
        runFor(Duration.ofMillis(990));
        assertThat(status()).as("within the grace").isEqualTo(Status.UP);
        runFor(Duration.ofMillis(20));
        assertThat(status()).isEqualTo(Status.DOWN);
        assertThat(registry.checks().get(0).message())
                .isEqualTo("connection to localhost:6379 closed (connection not restored within 1000 ms)");
        assertThat(redis.at).as("no evaluation was needed").containsExactly(0L);
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
    }

    @Test
    void aConnectionRestoredWithinTheGraceChangesNothing() {
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        redis.signals.lost("reset");
        runFor(Duration.ofMillis(300));
        redis.signals.restored();
        workers.runAll();
        runFor(Duration.ofMillis(3000));
        assertThat(status()).isEqualTo(Status.UP);
        assertThat(registry.checks().get(0).consecutiveFailures()).isZero();
        assertThat(redis.at).as("the reconnect was checked at once").containsExactly(0L, 300L);
    }

    @Test
    void aReconnectIsEvaluatedAtOnceAndTheCheckIsUpWithoutWaitingForAnyInterval() {
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().recoveryInterval(Duration.ZERO).build());
        startNow();
        redis.next = CheckResult.down("refused");
        redis.signals.lost("closed");
        runFor(Duration.ofMillis(3000));
        assertThat(status()).isEqualTo(Status.DOWN);
        redis.next = CheckResult.up();
        redis.signals.restored();
        workers.runAll();
        assertThat(status()).isEqualTo(Status.UP);
        assertThat(redis.at).containsExactly(0L, 3000L);
    }

    @Test
    void aReconnectDuringAnEvaluationIsEvaluatedAgainRightAfterIt() {
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS.toBuilder().recoveryInterval(Duration.ZERO).build());
        startNow();
        redis.next = CheckResult.down("refused");
        redis.signals.lost("closed");
        runFor(Duration.ofMillis(4990));
        scheduler.advance(STEP); // the 5 s evaluation starts; its worker has not run yet
        redis.next = CheckResult.up();
        redis.signals.restored(); // in flight: queued behind it
        assertThat(workers.pending()).isEqualTo(1);
        workers.runAll(); // the in-flight one passes, and the queued one runs right after
        workers.runAll();
        assertThat(redis.at).containsExactly(0L, 5000L, 5000L);
        assertThat(status()).isEqualTo(Status.UP);
    }

    @Test
    void transitionsAreMeasuredFromTheConnectionEventsAndWithoutThemFromTheLastOppositeResult() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ProbeMetrics(registry).bindTo(meters);
        Dependency redis = new Dependency();
        Polled db = new Polled();
        registry.readiness("redis", redis, DEFAULTS);
        registry.readiness("db", db, DEFAULTS);
        startNow();
        runFor(Duration.ofMillis(2000));

        redis.next = CheckResult.down("refused");
        redis.signals.lost("closed");
        db.next = CheckResult.down("refused");
        runFor(Duration.ofMillis(3000)); // redis DOWN 1 s after the loss; db DOWN at its 5 s evaluation
        redis.next = CheckResult.up();
        db.next = CheckResult.up();
        redis.signals.restored(); // at once: a recovery evaluation in between would see it UP first
        workers.runAll();
        runFor(Duration.ofMillis(1010));

        Timer redisDown = meters.get("readiness.check.down.after").tags("check", "redis", "from", "event").timer();
        assertThat(redisDown.count()).isOne();
        assertThat(redisDown.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000.0);
        Timer redisUp = meters.get("readiness.check.up.after").tags("check", "redis", "from", "event").timer();
        assertThat(redisUp.count()).isOne();
        assertThat(redisUp.totalTime(TimeUnit.MILLISECONDS)).isZero();

        Timer dbDown = meters.get("readiness.check.down.after").tags("check", "db", "from", "last-result").timer();
        assertThat(dbDown.totalTime(TimeUnit.MILLISECONDS)).as("from the last passing result, at 0 ms")
                .isEqualTo(5000.0);
        Timer dbUp = meters.get("readiness.check.up.after").tags("check", "db", "from", "last-result").timer();
        assertThat(dbUp.count()).isOne();
        assertThat(dbUp.totalTime(TimeUnit.MILLISECONDS)).as("from the last failing result, within one recovery interval")
                .isPositive().isLessThanOrEqualTo(1010.0);
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
    }

    @Test
    void aFlappingConnectionTurnsUpCountedFromTheReconnectThatHeld() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ProbeMetrics(registry).bindTo(meters);
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        redis.next = CheckResult.down("refused");
        redis.signals.lost("closed");
        runFor(Duration.ofMillis(1010));
        assertThat(status()).isEqualTo(Status.DOWN);
        redis.signals.restored(); // back, but the evaluation it starts still fails
        workers.runAll();
        redis.signals.lost("closed again");
        runFor(Duration.ofMillis(2000));
        redis.next = CheckResult.up();
        redis.signals.restored();
        workers.runAll();
        assertThat(status()).isEqualTo(Status.UP);
        Timer up = meters.get("readiness.check.up.after").tags("check", "redis", "from", "event").timer();
        assertThat(up.count()).isOne();
        assertThat(up.totalTime(TimeUnit.MILLISECONDS)).as("from the last reconnect, not the first").isZero();
    }

    @Test
    void aCheckThatIsNotRequiredAndDownShowsAsDegradedPerDependency() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Polled sessions = new Polled();
        registry.readiness("redis-sessions", sessions, DEFAULTS.toBuilder().required(false).build());
        new ProbeMetrics(registry).bindTo(meters);
        startNow();
        assertThat(meters.get("readiness.check.degraded").tags("check", "redis-sessions").gauge().value()).isZero();
        sessions.next = CheckResult.down("refused");
        runFor(Duration.ofMillis(5000));
        assertThat(meters.get("readiness.check.degraded").tags("check", "redis-sessions").gauge().value()).isOne();
        assertThat(registry.state()).as("not required: still ready").isEqualTo(AvailabilityState.READY);
        registry.liveness("local", () -> CheckResult.up());
        runFor(Duration.ofMillis(1100));
        assertThat(meters.find("readiness.check.status").tags("check", "local").gauge()).isNotNull();
        assertThat(meters.find("readiness.check.degraded").tags("check", "local").gauge())
                .as("a liveness check is always required: no degraded gauge").isNull();
    }

    @Test
    void evaluateNowRunsACheckAtOnceAndNamesAnUnknownCheck() {
        Polled db = new Polled();
        registry.readiness("db", db, DEFAULTS);
        registry.evaluateNow(Probe.READINESS, "db"); // before start: nothing
        workers.runAll();
        assertThat(db.at).isEmpty();
        startNow();
        runFor(Duration.ofMillis(1200));
        registry.evaluateNow(Probe.READINESS, "db");
        workers.runAll();
        assertThat(db.at).containsExactly(0L, 1200L);
        assertThatThrownBy(() -> registry.evaluateNow(Probe.READINESS, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no readiness check named 'nope'");
    }

    @Test
    void closingTheRegistryStopsTheConnectionEventsAndAPendingGrace() {
        Dependency redis = new Dependency();
        registry.readiness("redis", redis, DEFAULTS);
        startNow();
        redis.signals.lost("closed");
        registry.close();
        assertThat(redis.unwatched).isTrue();
        assertThat(scheduler.pending()).isZero();
        redis.signals.restored(); // late events after close are ignored
        runFor(Duration.ofMillis(2000));
        assertThat(redis.at).containsExactly(0L);
    }
}
