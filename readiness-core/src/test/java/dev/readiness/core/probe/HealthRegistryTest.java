package dev.readiness.core.probe;

import dev.readiness.core.check.Check;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.time.FakeTicker;
import dev.readiness.core.time.ManualExecutor;
import dev.readiness.core.time.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine and the probe rules, on a fake clock: nothing here sleeps. */
class HealthRegistryTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ManualExecutor workers = new ManualExecutor();
    private final HealthRegistry registry = HealthRegistry.builder().ticker(ticker).executors(scheduler, workers)
            .build();

    @AfterEach
    void close() {
        registry.close();
    }

    /** A dependency check whose answer the test sets. */
    static final class Scripted implements DependencyCheck {
        final AtomicInteger calls = new AtomicInteger();
        volatile CheckResult next = CheckResult.up();

        @Override
        public CheckResult check(Duration timeout) {
            calls.incrementAndGet();
            return next;
        }
    }

    /** A local check whose answer the test sets. */
    static final class LocalScripted implements LocalCheck {
        volatile CheckResult next = CheckResult.up();

        @Override
        public CheckResult check() {
            return next;
        }
    }

    private static CheckOptions options(int failureThreshold, int successThreshold) {
        return CheckOptions.builder().interval(INTERVAL).timeout(TIMEOUT).failureThreshold(failureThreshold)
                .successThreshold(successThreshold).build();
    }

    /** Runs what is due now, then lets every evaluation started finish. */
    private void step() {
        scheduler.advance(Duration.ZERO);
        workers.runAll();
    }

    /** Moves one interval on and lets the evaluation started finish. */
    private void nextInterval() {
        scheduler.advance(INTERVAL);
        workers.runAll();
    }

    private ProbeReport readyz() {
        return registry.report(Probe.READINESS);
    }

    private ProbeReport livez() {
        return registry.report(Probe.LIVENESS);
    }

    private ProbeReport startupz() {
        return registry.report(Probe.STARTUP);
    }

    private static String body(ProbeReport r, boolean verbose) {
        return new String(verbose ? r.verboseJson() : r.json(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------- background evaluation

    @Test
    void probeReadsNeverRunACheck() {
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1)).start();
        step();
        for (int i = 0; i < 1_000; i++) {
            readyz();
            registry.state();
        }
        assertThat(db.calls).hasValue(1);
    }

    @Test
    void checksRunOncePerInterval() {
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1)).start();
        step();
        for (int i = 0; i < 4; i++) {
            nextInterval();
        }
        assertThat(db.calls).hasValue(5);
    }

    @Test
    void nothingRunsBeforeStart() {
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1));
        scheduler.advance(Duration.ofMinutes(1));
        workers.runAll();
        assertThat(db.calls).hasValue(0);
        assertThat(registry.checks()).singleElement().extracting(CheckSnapshot::status).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void aCheckRegisteredAfterStartIsScheduledAtOnce() {
        registry.start();
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1));
        step();
        assertThat(db.calls).hasValue(1);
    }

    @Test
    void initialDelayPostponesTheFirstEvaluation() {
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1).toBuilder().initialDelay(Duration.ofSeconds(3)).build()).start();
        scheduler.advance(Duration.ofMillis(2_999));
        workers.runAll();
        assertThat(db.calls).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        workers.runAll();
        assertThat(db.calls).hasValue(1);
    }

    @Test
    void hungDependencyTurnsReadinessDownWithinIntervalTimesFailureThresholdPlusTimeout() {
        CheckOptions o = options(3, 1);
        registry.readiness("redis", new Scripted(), o).start();
        step();
        registry.markStarted();
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);

        long hungAt = ticker.nanoTime();
        // From here on no evaluation ever finishes: the worker tasks are never run.
        while (readyz().isUp()) {
            scheduler.advance(Duration.ofMillis(50));
            assertThat(workers.pending()).as("evaluations in flight").isLessThanOrEqualTo(1);
            // interval 1 s x failureThreshold 3 + timeout 500 ms, written out rather than asked of the options
            assertThat(Duration.ofNanos(ticker.nanoTime() - hungAt)).isLessThanOrEqualTo(Duration.ofMillis(3_500));
        }
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
        assertThat(readyz().httpStatus()).isEqualTo(503);
        assertThat(readyz().reason()).contains("redis DOWN").contains("still running after");
        assertThat(livez().httpStatus()).as("liveness never follows a dependency").isEqualTo(200);
    }

    @Test
    void atMostOneEvaluationIsInFlightWhileACheckHangs() {
        registry.readiness("redis", new Scripted(), options(1, 1)).start();
        scheduler.advance(Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            scheduler.advance(INTERVAL);
            assertThat(workers.pending()).isEqualTo(1);
        }
    }

    @Test
    void timeoutMarksTheEvaluationDownAndDropsItsLateResult() {
        Scripted db = new Scripted();
        List<Boolean> timeouts = new CopyOnWriteArrayList<>();
        registry.addCheckListener((probe, check, result, took, timedOut) -> timeouts.add(timedOut));
        registry.readiness("db", db, options(1, 1)).start();
        scheduler.advance(Duration.ZERO);
        scheduler.advance(TIMEOUT);

        CheckSnapshot timedOut = registry.checks().get(0);
        assertThat(timedOut.status()).isEqualTo(Status.DOWN);
        assertThat(timedOut.timedOut()).isTrue();
        assertThat(timedOut.message()).isEqualTo("timed out after 500 ms");
        assertThat(timeouts).containsExactly(true);

        workers.runAll(); // the hung evaluation finally answers UP: too late to count
        assertThat(registry.checks().get(0).status()).isEqualTo(Status.DOWN);
        assertThat(timeouts).containsExactly(true);

        scheduler.advance(INTERVAL.minus(TIMEOUT)); // the next tick starts a fresh evaluation
        workers.runAll();
        assertThat(registry.checks().get(0).status()).isEqualTo(Status.UP);
        assertThat(db.calls).hasValue(2);
    }

    @Test
    void aCheckThatRecoversTurnsUpAfterSuccessThreshold() {
        Scripted db = new Scripted();
        db.next = CheckResult.down("refused");
        // paced by the interval alone: the retries of a check that never succeeded are tested on their own below
        registry.readiness("db", db, options(1, 2).toBuilder().initialRetryDelay(Duration.ZERO).build()).start();
        registry.markStarted();
        step();
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
        db.next = CheckResult.up();
        nextInterval();
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
        nextInterval();
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
    }

    @Test
    void aResultOlderThanStaleAfterIsDownEvenWithoutANewEvaluation() {
        CheckOptions o = options(1, 1).toBuilder().staleAfter(Duration.ofSeconds(4)).build();
        registry.readiness("db", new Scripted(), o).start();
        step();
        registry.markStarted();
        assertThat(readyz().isUp()).isTrue();

        // The scheduler stops running (a starved thread): time passes, nothing is evaluated.
        ticker.advance(Duration.ofSeconds(4));
        assertThat(readyz().isUp()).as("exactly at the limit").isTrue();
        ticker.advance(Duration.ofMillis(1));
        assertThat(readyz().httpStatus()).isEqualTo(503);
        assertThat(readyz().reason()).contains("stale: last result is 4001 ms old (limit 4000 ms)");
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);

        step(); // the scheduler catches up: fresh again
        assertThat(readyz().isUp()).isTrue();
    }

    @Test
    void anExceptionIsDownWithItsTypeAndMessage() {
        registry.readiness("db", (DependencyCheck) t -> {
            throw new java.sql.SQLTransientConnectionException("pool exhausted");
        }, options(1, 1)).start();
        step();
        assertThat(registry.checks().get(0).message()).isEqualTo("SQLTransientConnectionException: pool exhausted");
    }

    @Test
    void aNullResultIsDown() {
        registry.readiness("db", (DependencyCheck) t -> null, options(1, 1)).start();
        step();
        assertThat(registry.checks().get(0).status()).isEqualTo(Status.DOWN);
        assertThat(registry.checks().get(0).message()).isEqualTo("check returned null");
    }

    @Test
    void aRejectedWorkerIsDownNotAnException() {
        registry.readiness("db", new Scripted(), options(1, 1)).start();
        workers.shutdown();
        step();
        assertThat(registry.checks().get(0).status()).isEqualTo(Status.DOWN);
        assertThat(registry.checks().get(0).message()).startsWith("no worker thread available");
    }

    @Test
    void theTimeoutIsPassedToTheDependencyCheck() {
        List<Duration> seen = new ArrayList<>();
        registry.readiness("db", (DependencyCheck) t -> {
            seen.add(t);
            return CheckResult.up();
        }, options(1, 1)).start();
        step();
        assertThat(seen).containsExactly(TIMEOUT);
    }

    // ------------------------------------------------------------- probe rules

    @Test
    void whileStartingStartupAndReadinessAre503AndLivenessIs200() {
        registry.liveness("deadlocks", new LocalScripted(), options(1, 1));
        registry.readiness("db", new Scripted(), options(1, 1));
        // not even started: the liveness check has no result yet, and a slow start must never be killed
        assertThat(startupz().httpStatus()).isEqualTo(503);
        assertThat(readyz().httpStatus()).isEqualTo(503);
        assertThat(livez().httpStatus()).isEqualTo(200);
        assertThat(readyz().reason()).isEqualTo("starting: the application has not reported started yet");
        registry.start();
        step();
        assertThat(registry.state()).isEqualTo(AvailabilityState.STARTING);
        assertThat(readyz().httpStatus()).as("checks pass, but the application has not said it started").isEqualTo(503);
    }

    @Test
    void startupCompletesWhenTheAppSaysSoAndStartupChecksPass() {
        Scripted migrations = new Scripted();
        migrations.next = CheckResult.down("migrations running");
        // paced by the interval alone: the retries of a check that never succeeded are tested on their own below
        registry.startup("migrations", migrations, options(1, 1).toBuilder().initialRetryDelay(Duration.ZERO).build())
                .start();
        registry.markStarted();
        step();
        assertThat(registry.state()).isEqualTo(AvailabilityState.STARTING);
        assertThat(startupz().reason()).contains("migrations DOWN: migrations running");
        migrations.next = CheckResult.up();
        nextInterval();
        assertThat(startupz().httpStatus()).isEqualTo(200);
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);

        migrations.next = CheckResult.down("flaky");
        nextInterval();
        assertThat(startupz().httpStatus()).as("startup, once complete, stays complete").isEqualTo(200);
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
    }

    @Test
    void livenessIsDownWhenALivenessCheckIsDown() {
        LocalScripted deadlocks = new LocalScripted();
        registry.liveness("deadlocks", deadlocks, options(1, 1)).start();
        step();
        assertThat(livez().httpStatus()).isEqualTo(200);
        deadlocks.next = CheckResult.down("2 threads deadlocked");
        nextInterval();
        assertThat(livez().httpStatus()).isEqualTo(503);
        assertThat(livez().reason()).isEqualTo("deadlocks DOWN: 2 threads deadlocked");
    }

    @Test
    void aLivenessCheckIsAlwaysRequired() {
        registry.liveness("deadlocks", new LocalScripted(), options(1, 1).toBuilder().required(false).build());
        assertThat(registry.optionsOf(Probe.LIVENESS, "deadlocks").required()).isTrue();
    }

    @Test
    void aNonRequiredDependencyDownIsDegradedAndKeepsReadinessUp() {
        Scripted cache = new Scripted();
        cache.next = CheckResult.down("connection refused");
        registry.readiness("cache", cache, options(1, 1).toBuilder().required(false).build()).start();
        registry.markStarted();
        step();
        ProbeReport r = readyz();
        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.degraded()).isTrue();
        assertThat(r.reason()).isEqualTo("degraded: cache DOWN: connection refused");
        assertThat(body(r, false)).isEqualTo(
                "{\"status\":\"UP\",\"state\":\"READY\",\"degraded\":true,\"reason\":\"degraded: cache DOWN: connection refused\"}");
        assertThat(body(r, true)).contains("\"cache\":{\"status\":\"DOWN\",\"required\":false");
    }

    @Test
    void drainingTakesReadinessDownForGoodAndKeepsLivenessUp() {
        registry.readiness("db", new Scripted(), options(1, 1)).start();
        registry.markStarted();
        step();
        assertThat(registry.beginDrain()).isTrue();
        assertThat(registry.beginDrain()).as("a second drain request").isFalse();
        assertThat(registry.state()).isEqualTo(AvailabilityState.DRAINING);
        assertThat(readyz().httpStatus()).isEqualTo(503);
        assertThat(livez().httpStatus()).isEqualTo(200);
        registry.acceptTraffic();
        nextInterval();
        assertThat(registry.state()).as("draining is never left").isEqualTo(AvailabilityState.DRAINING);
        registry.markStopped();
        assertThat(registry.state()).isEqualTo(AvailabilityState.STOPPED);
        assertThat(readyz().httpStatus()).isEqualTo(503);
    }

    @Test
    void refusingTrafficIsNotReadyUntilAccepted() {
        registry.start();
        registry.markStarted();
        registry.refuseTraffic("warming the cache");
        assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
        assertThat(readyz().reason()).isEqualTo("traffic refused: warming the cache");
        registry.acceptTraffic();
        assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        registry.refuseTraffic("  ");
        assertThat(readyz().reason()).isEqualTo("traffic refused: refused by the application");
    }

    @Test
    void listenersSeeEveryTransitionInOrderAndOneFailingListenerDoesNotStopTheOthers() {
        List<String> seen = new CopyOnWriteArrayList<>();
        registry.addListener((from, to) -> {
            throw new IllegalStateException("listener bug");
        });
        registry.addListener((from, to) -> seen.add(from + "->" + to));
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1)).start();
        step();
        registry.markStarted();
        db.next = CheckResult.down("gone");
        nextInterval();
        db.next = CheckResult.up();
        nextInterval();
        registry.beginDrain();
        registry.markStopped();
        assertThat(seen).containsExactly("STARTING->READY", "READY->NOT_READY", "NOT_READY->READY",
                "READY->DRAINING", "DRAINING->STOPPED");
    }

    @Test
    void aCheckListenerThrowingAnErrorDoesNotWedgeTheCheck() {
        registry.addCheckListener((probe, name, result, took, timedOut) -> {
            throw new AssertionError("listener bug");
        });
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1)).start();
        registry.markStarted();
        step();
        assertThat(readyz().isUp()).isTrue();
        db.next = CheckResult.down("gone");
        nextInterval();
        assertThat(readyz().isUp()).isFalse();
        db.next = CheckResult.up();
        nextInterval();
        assertThat(db.calls).hasValue(3);
        assertThat(readyz().isUp()).isTrue();
    }

    @Test
    void aRemovedListenerHearsNothing() {
        List<String> seen = new ArrayList<>();
        AvailabilityListener l = (from, to) -> seen.add(to.name());
        registry.addListener(l);
        registry.removeListener(l);
        registry.start();
        registry.markStarted();
        assertThat(seen).isEmpty();
    }

    // ------------------------------------------------------------- registration rules

    // What does not compile (a DependencyCheck, a lambda over JDBC, register(Probe.LIVENESS, ...)) is proved by
    // compiling callers in spring-boot-autoconfigure's LivenessWiringTest, where every public path is on the
    // class path: the registry's and the starter's.

    @Test
    void aDependencyCheckKnownOnlyAtRunTimeIsRefusedForLivenessWithAnExplanation() {
        Check redis = (DependencyCheck) t -> CheckResult.up();
        assertThatThrownBy(() -> registry.liveness("redis", LocalCheck.requireLocal("redis", redis)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check 'redis'")
                .hasMessageContaining("cannot be registered for liveness")
                .hasMessageContaining("restarts every replica at once")
                .hasMessageContaining("Register it for readiness instead");
    }

    /** Implements both kinds: a DependencyCheck disguised as a LocalCheck. */
    static final class Disguised implements LocalCheck, DependencyCheck {
        @Override
        public CheckResult check() {
            return CheckResult.up();
        }

        @Override
        public CheckResult check(Duration timeout) {
            return CheckResult.up();
        }
    }

    @Test
    void aCheckThatIsBothKindsIsRefusedForLiveness() {
        assertThatThrownBy(() -> registry.liveness("sneaky", new Disguised()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Disguised.class.getName())
                .hasMessageContaining("cannot be registered for liveness");
        registry.readiness("sneaky", new Disguised()); // fine for readiness
    }

    @Test
    void checkNamesAreValidatedAndUniquePerProbe() {
        for (String bad : new String[] {null, "", " ", "-db", "a b", "db\n", "x".repeat(65), "\"quoted\"", "db/1"}) {
            assertThatThrownBy(() -> registry.readiness(bad, new Scripted()))
                    .as("name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("check name must match");
        }
        registry.readiness("db", new Scripted());
        assertThatThrownBy(() -> registry.readiness("db", new Scripted()))
                .hasMessage("a readiness check named 'db' is already registered");
        registry.startup("db", new Scripted()); // another probe: fine
    }

    @Test
    void closingStopsEvaluationAndRefusesRegistration() {
        Scripted db = new Scripted();
        registry.readiness("db", db, options(1, 1)).start();
        step();
        registry.close();
        registry.close(); // idempotent
        scheduler.advance(Duration.ofMinutes(1));
        workers.runAll();
        assertThat(db.calls).hasValue(1);
        assertThatThrownBy(() -> registry.readiness("late", new Scripted()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void verboseOutputEscapesHostileMessagesAndDetails() {
        registry.readiness("db", (DependencyCheck) t -> CheckResult.down("bad \"quote\"\n\u0001</script>")
                .withDetail("k\"ey", Double.NaN).withDetail("n", 3), options(1, 1)).start();
        registry.markStarted();
        step();
        String v = body(readyz(), true);
        assertThat(v).contains("bad \\\"quote\\\"\\n\\u0001</script>")
                .contains("\"k\\\"ey\":\"NaN\"").contains("\"n\":3");
    }
}
