package dev.readiness.core.probe;

import dev.readiness.core.check.Check;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one check on its schedule: at most one evaluation in flight, each cut off by its timeout. A hung
 * evaluation keeps its worker thread, but never a second one: while it hangs, every tick records a failure.
 * <p>
 * Until the check succeeds for the first time, each failed evaluation (or a timed-out one, once it has
 * returned) is followed by a retry after {@link CheckOptions#initialRetryDelay()}, doubling while below the
 * interval, on top of the fixed-rate schedule: readiness at start-up follows the dependency, not the interval.
 * From the first success on, only the interval paces evaluations, so a success threshold above 1 still means
 * that many intervals.
 * <p>
 * Once it has succeeded, a check that turns DOWN is re-evaluated every {@link CheckOptions#recoveryInterval()}
 * (jittered) until an evaluation passes. A {@link ConnectionAware} check's events come in through
 * {@link #signals()}: a loss not restored within {@link CheckOptions#connectionGrace()} records DOWN at once, a
 * restored connection starts an evaluation at once.
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
    /** The one pending tick on top of the schedule: a start-up retry or, once it has passed, a recovery re-check. */
    private ScheduledFuture<?> extraTask;
    private boolean everSucceeded;
    private boolean cancelled;
    private long retryDelayNanos;
    private ScheduledFuture<?> graceTask;
    private boolean connectionLost;
    private String lostReason;
    private long lostAtNanos;
    private boolean evaluateAgain;
    private AutoCloseable watch;
    private volatile CheckSnapshot snapshot;
    private final ConnectionSignals signals = new ConnectionSignals() {
        @Override
        public void lost(String reason) {
            CheckRunner.this.lost(reason);
        }

        @Override
        public void restored() {
            CheckRunner.this.restored();
        }

        @Override
        public String toString() {
            return "signals of " + probe.tag() + " check '" + name + "'";
        }
    };

    CheckRunner(HealthRegistry registry, Probe probe, String name, Check check, CheckOptions options) {
        this.registry = registry;
        this.probe = probe;
        this.name = name;
        this.check = check;
        this.options = options;
        this.state = new CheckState(probe, name, options);
        this.snapshot = state.snapshot();
        this.timeoutNanos = options.timeout().toNanos();
        this.retryDelayNanos = options.initialRetryDelay().toNanos();
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

    ConnectionSignals signals() {
        return signals;
    }

    synchronized void watching(AutoCloseable watch) {
        this.watch = watch;
    }

    synchronized void schedule(ScheduledExecutorService scheduler) {
        if (schedule == null) {
            schedule = scheduler.scheduleAtFixedRate(this::tick, options.initialDelay().toNanos(),
                    options.interval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    synchronized void cancel() {
        cancelled = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (extraTask != null) {
            extraTask.cancel(false);
        }
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
        if (graceTask != null) {
            graceTask.cancel(false);
        }
        if (worker != null) {
            worker.interrupt();
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(CheckRunner.class)
                        .debug("stopping the connection events of {} check '{}' failed: {}", probe.tag(), name, e.toString());
            }
            watch = null;
        }
    }

    /**
     * Starts an evaluation now, or right after the one in flight. Does nothing before the registry starts or
     * after it closed.
     */
    void evaluateNow() {
        synchronized (this) {
            if (cancelled || schedule == null) {
                return;
            }
            if (inFlight) {
                evaluateAgain = true; // a hung evaluation is not counted again: the next starts when it returns
                return;
            }
        }
        tick();
    }

    private void lost(String reason) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            long now = registry.ticker().nanoTime();
            state.lost(now);
            if (connectionLost) {
                return;
            }
            connectionLost = true;
            lostReason = reason == null || reason.isBlank() ? "connection lost" : reason;
            lostAtNanos = now;
            try {
                graceTask = registry.scheduler().schedule(this::graceExpired, options.connectionGrace().toNanos(),
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // the registry is closing
            }
        }
    }

    private void restored() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            state.restored(registry.ticker().nanoTime());
            connectionLost = false;
            if (graceTask != null) {
                graceTask.cancel(false);
                graceTask = null;
            }
        }
        evaluateNow();
    }

    private void graceExpired() {
        CheckSnapshot changed;
        synchronized (this) {
            graceTask = null;
            if (cancelled || !connectionLost || state.status() == dev.readiness.core.check.Status.DOWN) {
                return;
            }
            long now = registry.ticker().nanoTime();
            CheckResult down = CheckResult.down(lostReason + " (connection not restored within "
                    + options.connectionGrace().toMillis() + " ms)");
            changed = state.forceDown(down, now, registry.clock().instant());
            snapshot = changed;
            registry.notifyResult(probe, name, down, Duration.ofNanos(now - lostAtNanos), false);
            transitionLocked();
            recoverLocked();
        }
        registry.changed(this, changed);
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

    /** An extra tick; clears itself first, so the evaluation it starts may schedule the next. */
    private void extraTick() {
        synchronized (this) {
            extraTask = null;
            if (cancelled) {
                return;
            }
        }
        tick();
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
        boolean again;
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
                everSucceeded |= result.isUp();
            }
            // A late result of a timed-out evaluation is dropped: the next tick evaluates afresh.
            retryUntilFirstSuccessLocked();
            recoverLocked();
            again = evaluateAgain && !cancelled;
            evaluateAgain = false;
        }
        if (changed != null) {
            registry.changed(this, changed);
        }
        if (again) {
            tick();
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

    /**
     * After an evaluation ends or a lost connection turned the check DOWN: while a check that has succeeded before
     * is DOWN and its last result failed, schedules one extra tick after the recovery interval, jittered between
     * half and all of it. Once a result passes, the interval paces the rest of the success threshold.
     */
    private void recoverLocked() {
        long interval = options.recoveryInterval().toNanos();
        if (!everSucceeded || cancelled || interval <= 0 || interval >= options.interval().toNanos()
                || state.status() != dev.readiness.core.check.Status.DOWN || snapshot.consecutiveFailures() == 0) {
            return;
        }
        extraTickLocked(interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1));
    }

    /** Schedules the extra tick unless one is pending; false when none was scheduled. */
    private boolean extraTickLocked(long delayNanos) {
        if (extraTask != null) {
            return false;
        }
        try {
            extraTask = registry.scheduler().schedule(this::extraTick, delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException shutDown) {
            return false; // the registry is closing
        }
    }

    /**
     * After an evaluation ends: while the check has never succeeded, schedules one extra tick after the current
     * retry delay and doubles the delay. Retries stop for good at the first success or once the delay reaches
     * the interval (the fixed-rate schedule then suffices), and never start when the delay is zero.
     */
    private void retryUntilFirstSuccessLocked() {
        if (everSucceeded || cancelled || retryDelayNanos <= 0 || retryDelayNanos >= options.interval().toNanos()) {
            return;
        }
        if (extraTickLocked(retryDelayNanos)) {
            retryDelayNanos *= 2;
        }
    }

    private CheckSnapshot recordLocked(CheckResult result, Duration took, boolean timedOut, long now) {
        CheckSnapshot s = state.record(result, took, timedOut, now, registry.clock().instant());
        snapshot = s;
        registry.notifyResult(probe, name, result, took, timedOut);
        transitionLocked();
        return s;
    }

    private void transitionLocked() {
        CheckState.Transition t = state.takeTransition();
        if (t != null) {
            registry.notifyTransition(probe, name, t);
        }
    }
}
