package dev.readiness.core.probe;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine on its own real threads: what a fake clock cannot show. */
class CheckRunnerThreadsTest {

    @Test
    void aTimedOutEvaluationIsInterruptedAndItsThreadIsNotReusedWhileItHangs() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        DependencyCheck hangs = timeout -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                never.await();
                return CheckResult.up();
            } catch (InterruptedException e) {
                interrupted.set(true);
                // a badly behaved check: ignores the interrupt and hangs on
                while (!never.await(10, TimeUnit.SECONDS)) {
                    Thread.onSpinWait();
                }
                return CheckResult.up();
            } finally {
                running.decrementAndGet();
            }
        };
        AtomicInteger timedOutResults = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.create()) {
            registry.addCheckListener((probe, check, result, took, timedOut) -> {
                if (timedOut) {
                    timedOutResults.incrementAndGet();
                }
            });
            registry.readiness("hangs", hangs, CheckOptions.builder().interval(Duration.ofMillis(50))
                    .timeout(Duration.ofMillis(100)).build()).start();
            registry.markStarted();
            await().atMost(Duration.ofSeconds(10)).untilTrue(interrupted);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.checks().get(0).status() == Status.DOWN);
            // every tick while the evaluation hangs records another failure: wait for several
            await().atMost(Duration.ofSeconds(10)).until(() -> timedOutResults.get() >= 4);
            assertThat(maxRunning).hasValue(1);
            long start = System.nanoTime();
            ProbeReport r = registry.report(Probe.READINESS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            assertThat(r.httpStatus()).isEqualTo(503);
            never.countDown();
        }
    }

    @Test
    void aRunawayPoolThreadDoesNotCarryTheTimeoutInterruptIntoTheNextEvaluation() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        DependencyCheck check = timeout -> {
            int n = calls.incrementAndGet();
            if (Thread.currentThread().isInterrupted()) {
                sawInterrupt.set(true);
            }
            if (n == 1) {
                long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // busy past the timeout, not interruptible
                }
            }
            return CheckResult.up();
        };
        try (HealthRegistry registry = HealthRegistry.create()) {
            registry.readiness("busy", check, CheckOptions.builder().interval(Duration.ofMillis(50))
                    .timeout(Duration.ofMillis(100)).build()).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
            assertThat(sawInterrupt).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.checks().get(0).status() == Status.UP);
        }
    }
}
