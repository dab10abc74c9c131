package dev.readiness.core.probe;

import dev.readiness.core.check.Check;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check on its schedule: at most one evaluation in flight, each cut off by its timeout. A hung
 * evaluation keeps its worker thread, but never a second one: while it hangs, every tick records a failure.
 */
final class CheckRunner {

    private final HealthRegistry registry;
    private final Probe probe;
    private final String name;
    private final Check check;
    private final CheckOptions options;
    private final CheckState state;
    private final long timeoutNanos;

    // guarded by this
    private Object current;
    private boolean inFlight;
    private Thread worker;
    private long inFlightStart;
    private boolean inFlightTimedOut;
    private ScheduledFuture<?> timeoutTask;
    private ScheduledFuture<?> schedule;
    private volatile CheckSnapshot snapshot;

    CheckRunner(HealthRegistry registry, Probe probe, String name, Check check, CheckOptions options) {
        this.registry = registry;
        this.probe = probe;
        this.name = name;
        this.check = check;
        this.options = options;
        this.state = new CheckState(probe, name, options);
        this.snapshot = state.snapshot();
        this.timeoutNanos = options.timeout().toNanos();
    }

    Probe probe() {
        return probe;
    }

    String name() {
        return name;
    }

    CheckOptions options() {
        return options;
    }

    CheckSnapshot snapshot() {
        return snapshot;
    }

    synchronized void schedule(ScheduledExecutorService scheduler) {
        if (schedule == null) {
            schedule = scheduler.scheduleAtFixedRate(this::tick, options.initialDelay().toNanos(),
                    options.interval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    synchronized void cancel() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
        if (worker != null) {
            worker.interrupt();
        }
    }

    /**
     * One scheduled tick: start an evaluation unless one is still in flight. Runs on the scheduler thread, and
     * never throws: an exception would silently cancel the periodic schedule.
     */
    void tick() {
        try {
            tickOnce();
        } catch (Throwable t) {
            org.slf4j.LoggerFactory.getLogger(CheckRunner.class)
                    .error("scheduling of {} check '{}' failed; it will be retried at the next interval", probe.tag(), name, t);
        }
    }

    private void tickOnce() {
        CheckSnapshot changed = null;
        synchronized (this) {
            long now = registry.ticker().nanoTime();
            if (inFlight) {
                if (inFlightTimedOut) {
                    long ms = (now - inFlightStart) / 1_000_000;
                    changed = recordLocked(CheckResult.down("evaluation still running after " + ms
                            + " ms (timeout " + options.timeout().toMillis() + " ms)"), Duration.ofNanos(now - inFlightStart), true, now);
                } else {
                    return; // slower than the interval but not timed out yet: let it finish
                }
            } else {
                Object token = new Object();
                current = token;
                inFlightStart = now;
                inFlightTimedOut = false;
                try {
                    registry.workers().execute(() -> evaluate(token));
                    inFlight = true;
                    timeoutTask = registry.scheduler().schedule(() -> timeout(token), timeoutNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    inFlight = false;
                    changed = recordLocked(CheckResult.down("no worker thread available: " + e.getMessage()),
                            Duration.ZERO, false, now);
                }
            }
        }
        if (changed != null) {
            registry.changed(this, changed);
        }
    }

    private void evaluate(Object token) {
        synchronized (this) {
            if (token != current) {
                return;
            }
            worker = Thread.currentThread();
        }
        long start = registry.ticker().nanoTime();
        CheckResult result;
        try {
            result = invoke();
            if (result == null) {
                result = CheckResult.down("check returned null");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = CheckResult.down(e);
        } catch (Throwable t) {
            result = CheckResult.down(t);
        }
        CheckSnapshot changed = null;
        synchronized (this) {
            if (token != current) {
                return;
            }
            inFlight = false;
            worker = null;
            Thread.interrupted(); // a timeout's interrupt must not leak into the pooled thread's next task
            if (timeoutTask != null) {
                timeoutTask.cancel(false);
            }
            if (!inFlightTimedOut) {
                long end = registry.ticker().nanoTime();
                changed = recordLocked(result, Duration.ofNanos(end - start), false, end);
            }
            // A late result of a timed-out evaluation is dropped: the next tick evaluates afresh.
        }
        if (changed != null) {
            registry.changed(this, changed);
        }
    }

    private CheckResult invoke() throws Exception {
        if (check instanceof LocalCheck local) {
            return local.check();
        }
        return ((DependencyCheck) check).check(options.timeout());
    }

    private void timeout(Object token) {
        CheckSnapshot changed;
        synchronized (this) {
            if (token != current || !inFlight || inFlightTimedOut) {
                return;
            }
            inFlightTimedOut = true;
            if (worker != null) {
                worker.interrupt();
            }
            long now = registry.ticker().nanoTime();
            changed = recordLocked(CheckResult.down("timed out after " + options.timeout().toMillis() + " ms"),
                    options.timeout(), true, now);
        }
        registry.changed(this, changed);
    }

    private CheckSnapshot recordLocked(CheckResult result, Duration took, boolean timedOut, long now) {
        CheckSnapshot s = state.record(result, took, timedOut, now, registry.clock().instant());
        snapshot = s;
        registry.notifyResult(probe, name, result, took, timedOut);
        return s;
    }
}
