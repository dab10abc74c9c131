package dev.readiness.core.probe;

import dev.readiness.core.time.FakeTicker;
import dev.readiness.core.time.ManualExecutor;
import dev.readiness.core.time.ManualScheduler;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;

/**
 * A registry on a fake clock whose scheduled ticks and evaluations run only when a test moves time on: nothing
 * sleeps. The base of the engine's timing tests.
 */
abstract class ManualClockTest {

    protected final FakeTicker ticker = new FakeTicker();
    protected final ManualScheduler scheduler = new ManualScheduler(ticker);
    protected final ManualExecutor workers = new ManualExecutor();
    protected final HealthRegistry registry = HealthRegistry.builder().ticker(ticker).executors(scheduler, workers)
            .build();
    protected final long t0 = ticker.nanoTime();
    private final Duration step;

    /** @param step how far {@link #runFor} moves time at once, letting each evaluation finish at its start */
    protected ManualClockTest(Duration step) {
        this.step = step;
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    /** Moves time on in steps, letting each evaluation finish at the instant it starts. */
    protected void runFor(Duration d) {
        for (long left = d.toNanos(); left > 0; left -= step.toNanos()) {
            scheduler.advance(step);
            workers.runAll();
        }
    }

    /** Starts the registry, marks the application started and runs the first evaluations. */
    protected void startNow() {
        registry.start();
        registry.markStarted();
        scheduler.advance(Duration.ZERO);
        workers.runAll();
    }
}
