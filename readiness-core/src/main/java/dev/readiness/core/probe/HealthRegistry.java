package dev.readiness.core.probe;

import dev.readiness.core.check.Check;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Pattern;

/**
 * The checks of a service, evaluated in the background, and the three probes that read their latest results.
 * <p>
 * Checks run on their own schedule with a timeout each; a probe never runs a check. {@link #report(Probe)} is a
 * read of the latest immutable {@link ProbeReport}: constant time, never blocked by a hung dependency.
 * <p>
 * Probe rules:
 * <ul>
 *   <li>startup: UP once {@link #markStarted()} was called and every required startup check is UP; then it stays UP.</li>
 *   <li>liveness: UP unless a liveness check is DOWN. Stays UP while starting and draining: a slow start or a
 *       drain must never be killed.</li>
 *   <li>readiness: UP only in {@link AvailabilityState#READY}: started, not draining, every required readiness
 *       check UP, and traffic not refused by the application.</li>
 * </ul>
 * Thread-safe. Create with {@link #create()} or {@link #builder()}, register checks, then {@link #start()}.
 */
public final class HealthRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Ticker ticker;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final boolean ownsExecutors;
    private final CheckOptions localDefaults;
    private final CheckOptions dependencyDefaults;

    private final List<CheckRunner> runners = new CopyOnWriteArrayList<>();
    private final List<AvailabilityListener> availabilityListeners = new CopyOnWriteArrayList<>();
    private final List<CheckListener> checkListeners = new CopyOnWriteArrayList<>();

    // guarded by this
    private boolean started;
    private boolean startupRequested;
    private boolean startupComplete;
    private String refusedReason;
    private boolean draining;
    private boolean stopped;
    private boolean closed;

    private volatile AvailabilityState state = AvailabilityState.STARTING;
    private final Map<Probe, ProbeReport> reports = new EnumMap<>(Probe.class);
    private volatile ProbeReport startupReport;
    private volatile ProbeReport livenessReport;
    private volatile ProbeReport readinessReport;

    private HealthRegistry(Builder b) {
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.localDefaults = b.localDefaults;
        this.dependencyDefaults = b.dependencyDefaults;
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.workers = b.workers;
            this.ownsExecutors = false;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, DaemonThreads.numbered("readiness-scheduler"));
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            this.workers = Executors.newCachedThreadPool(DaemonThreads.numbered("readiness-check"));
            this.ownsExecutors = true;
        }
        synchronized (this) {
            recompute(ticker.nanoTime());
        }
    }

    /** A registry with default options and its own daemon threads. */
    public static HealthRegistry create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- registration

    /** Registers an in-process check for liveness with the default options for local checks. */
    public HealthRegistry liveness(String name, LocalCheck check) {
        return liveness(name, check, localDefaults);
    }

    /**
     * Registers an in-process check for liveness. Liveness checks are always required. Only a {@link LocalCheck}
     * compiles here, and no other public method reaches liveness: code holding a {@link Check} of a kind known only
     * at run time converts it with {@link LocalCheck#requireLocal(String, Check)}, which refuses a
     * {@link DependencyCheck} and says why.
     *
     * @throws IllegalArgumentException when the name is invalid or taken, or when the check is a
     *                                  {@link DependencyCheck} as well (a class implementing both kinds)
     * @throws IllegalStateException    after {@link #close()}
     */
    public HealthRegistry liveness(String name, LocalCheck check, CheckOptions options) {
        Objects.requireNonNull(options, "options");
        LocalCheck local = LocalCheck.requireLocal(name, check);
        return register(Probe.LIVENESS, name, local, options.required() ? options
                : options.toBuilder().required(true).build());
    }

    /**
     * Registers a check for readiness with the default options for its kind.
     *
     * @throws IllegalArgumentException when the name is invalid or taken within readiness
     * @throws IllegalStateException    after {@link #close()}
     */
    public HealthRegistry readiness(String name, Check check) {
        return readiness(name, check, defaultsFor(check));
    }

    public HealthRegistry readiness(String name, Check check, CheckOptions options) {
        return register(Probe.READINESS, name, check, options);
    }

    /**
     * Registers a check that must pass before startup completes.
     *
     * @throws IllegalArgumentException when the name is invalid or taken within startup
     * @throws IllegalStateException    after {@link #close()}
     */
    public HealthRegistry startup(String name, Check check) {
        return startup(name, check, defaultsFor(check));
    }

    public HealthRegistry startup(String name, Check check, CheckOptions options) {
        return register(Probe.STARTUP, name, check, options);
    }

    /**
     * Registers a check for a probe; checks registered after {@link #start()} are scheduled at once. Private: a
     * public method taking a {@link Probe} and any {@link Check} would reach liveness untyped, so every caller
     * goes through {@link #liveness}, {@link #readiness} or {@link #startup}.
     */
    private HealthRegistry register(Probe probe, String name, Check check, CheckOptions options) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(options, "options");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("check name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        CheckRunner runner = new CheckRunner(this, probe, name, check, options);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("registry is closed; cannot register check '" + name + "'");
            }
            for (CheckRunner r : runners) {
                if (r.probe() == probe && r.name().equals(name)) {
                    throw new IllegalArgumentException("a " + probe.tag() + " check named '" + name
                            + "' is already registered");
                }
            }
            runners.add(runner);
            log.info("registered {} check '{}' ({}, every {} ms, timeout {} ms, failure threshold {})", probe.tag(),
                    name, options.required() ? "required" : "not required", options.interval().toMillis(),
                    options.timeout().toMillis(), options.failureThreshold());
            if (started) {
                runner.schedule(scheduler);
            }
            recompute(ticker.nanoTime());
        }
        if (check instanceof ConnectionAware aware) {
            try {
                runner.watching(aware.watch(runner.signals()));
            } catch (RuntimeException e) {
                log.warn("{} check '{}' could not watch its client's connection events, so it follows its"
                        + " evaluations only: {}", probe.tag(), name, e.toString());
            }
        }
        return this;
    }

    private CheckOptions defaultsFor(Check check) {
        return check instanceof LocalCheck && !(check instanceof DependencyCheck) ? localDefaults : dependencyDefaults;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts evaluating the registered checks in the background. Idempotent. */
    public synchronized HealthRegistry start() {
        if (closed) {
            throw new IllegalStateException("registry is closed");
        }
        if (!started) {
            started = true;
            for (CheckRunner r : runners) {
                r.schedule(scheduler);
            }
        }
        return this;
    }

    /**
     * The application says it has started. Startup completes once every required startup check is UP as well.
     */
    public void markStarted() {
        synchronized (this) {
            startupRequested = true;
            recompute(ticker.nanoTime());
        }
    }

    /** The application refuses traffic (overloaded, warming a cache): readiness DOWN until {@link #acceptTraffic()}. */
    public void refuseTraffic(String reason) {
        synchronized (this) {
            refusedReason = reason == null || reason.isBlank() ? "refused by the application" : reason;
            recompute(ticker.nanoTime());
        }
    }

    /** Undoes {@link #refuseTraffic(String)}. */
    public void acceptTraffic() {
        synchronized (this) {
            refusedReason = null;
            recompute(ticker.nanoTime());
        }
    }

    /**
     * Readiness DOWN for good; liveness unchanged.
     *
     * @return {@code true} if this call began the drain, {@code false} if a drain had already begun
     */
    public boolean beginDrain() {
        synchronized (this) {
            if (draining) {
                return false;
            }
            draining = true;
            recompute(ticker.nanoTime());
            return true;
        }
    }

    /** The drain is over; the process is about to exit. */
    public void markStopped() {
        synchronized (this) {
            draining = true;
            stopped = true;
            recompute(ticker.nanoTime());
        }
    }

    /** Stops evaluating checks and, unless executors were supplied, stops the threads. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (CheckRunner r : runners) {
            r.cancel();
        }
        if (ownsExecutors) {
            scheduler.shutdownNow();
            workers.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- reads

    /** The current availability state. */
    public AvailabilityState state() {
        report(Probe.READINESS); // lets a stale result change the state
        return state;
    }

    /**
     * The latest report for a probe. Constant time: a volatile read, plus a rare recompute when a result has
     * just grown stale.
     */
    public ProbeReport report(Probe probe) {
        ProbeReport r = switch (probe) {
            case STARTUP -> startupReport;
            case LIVENESS -> livenessReport;
            case READINESS -> readinessReport;
        };
        long now = ticker.nanoTime();
        if (now - r.validUntilNanos() > 0) {
            synchronized (this) {
                recompute(now);
                r = reports.get(probe);
            }
        }
        return r;
    }

    /**
     * Evaluates a check now instead of at its next interval (or right after the evaluation in flight), for code
     * that learns of a change first: a client's reconnect, a configuration reload. The probe answers from the result
     * once it is in. Does nothing before {@link #start()} or after {@link #close()}.
     *
     * @throws IllegalArgumentException when no such check is registered
     */
    public void evaluateNow(Probe probe, String name) {
        runner(probe, name).evaluateNow();
    }

    /** Snapshots of every registered check, in registration order. */
    public List<CheckSnapshot> checks() {
        long now = ticker.nanoTime();
        List<CheckSnapshot> out = new ArrayList<>(runners.size());
        for (CheckRunner r : runners) {
            out.add(r.snapshot().at(now));
        }
        return out;
    }

    /** Options of a registered check, for diagnostics and start-up validation. */
    public CheckOptions optionsOf(Probe probe, String name) {
        return runner(probe, name).options();
    }

    private CheckRunner runner(Probe probe, String name) {
        for (CheckRunner r : runners) {
            if (r.probe() == probe && r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no " + probe.tag() + " check named '" + name + "'");
    }

    public void addListener(AvailabilityListener listener) {
        availabilityListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(AvailabilityListener listener) {
        availabilityListeners.remove(listener);
    }

    public void addCheckListener(CheckListener listener) {
        checkListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeCheckListener(CheckListener listener) {
        checkListeners.remove(listener);
    }

    /** The ticker this registry reads time from. */
    public Ticker ticker() {
        return ticker;
    }

    // ---------------------------------------------------------------- engine

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    void changed(CheckRunner runner, CheckSnapshot snapshot) {
        synchronized (this) {
            recompute(ticker.nanoTime());
        }
    }

    void notifyResult(Probe probe, String name, CheckResult result, Duration took, boolean timedOut) {
        for (CheckListener l : checkListeners) {
            try {
                l.onResult(probe, name, result, took, timedOut);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // A listener's Error must not escape into the check's own bookkeeping: the check would stay
                // "in flight" for ever.
                log.warn("check listener {} failed: {}", l, e.toString());
            }
        }
    }

    void notifyTransition(Probe probe, String name, CheckState.Transition t) {
        log.info("{} check '{}' {} -> {} {} ms after {}", probe.tag(), name, t.from(), t.to(), t.after().toMillis(),
                t.fromEvent() ? (t.to() == Status.DOWN ? "the client lost its connection" : "the client reconnected")
                        : (t.to() == Status.DOWN ? "its last passing result" : "its last failing result"));
        for (CheckListener l : checkListeners) {
            try {
                l.onTransition(probe, name, t.from(), t.to(), t.after(), t.fromEvent());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                log.warn("check listener {} failed: {}", l, e.toString());
            }
        }
    }

    /** Rebuilds the three reports and the state from the latest check snapshots. Caller holds the lock. */
    private void recompute(long now) {
        List<CheckSnapshot> startup = new ArrayList<>();
        List<CheckSnapshot> liveness = new ArrayList<>();
        List<CheckSnapshot> readiness = new ArrayList<>();
        long validUntil = Long.MAX_VALUE;
        for (CheckRunner r : runners) {
            CheckSnapshot s = r.snapshot();
            long staleAt = s.staleAtNanos();
            if (staleAt != Long.MAX_VALUE && now - staleAt <= 0 && staleAt - validUntil < 0) {
                validUntil = staleAt;
            }
            s = s.at(now);
            switch (s.probe()) {
                case STARTUP -> startup.add(s);
                case LIVENESS -> liveness.add(s);
                case READINESS -> readiness.add(s);
            }
        }
        if (validUntil == Long.MAX_VALUE) {
            validUntil = now + Long.MAX_VALUE / 2; // never stale: no result can age out
        }

        Verdict startupVerdict = verdict(Probe.STARTUP, startup);
        if (!startupComplete && startupRequested && startupVerdict.up) {
            startupComplete = true;
        }
        Verdict liveVerdict = verdict(Probe.LIVENESS, liveness);
        Verdict readyVerdict = verdict(Probe.READINESS, readiness);

        AvailabilityState next;
        String readyReason;
        if (stopped) {
            next = AvailabilityState.STOPPED;
            readyReason = "stopped";
        } else if (draining) {
            next = AvailabilityState.DRAINING;
            readyReason = "draining";
        } else if (!startupComplete) {
            next = AvailabilityState.STARTING;
            readyReason = !startupRequested ? "starting: the application has not reported started yet"
                    : "starting: " + startupVerdict.reason;
        } else if (refusedReason != null) {
            next = AvailabilityState.NOT_READY;
            readyReason = "traffic refused: " + refusedReason;
        } else if (!readyVerdict.up) {
            next = AvailabilityState.NOT_READY;
            readyReason = readyVerdict.reason;
        } else {
            next = AvailabilityState.READY;
            readyReason = readyVerdict.reason; // degraded note, or empty
        }

        String startupReason = startupComplete ? startupVerdict.degradedReason()
                : !startupRequested ? "the application has not reported started yet" : startupVerdict.reason;
        put(new ProbeReport(Probe.STARTUP, startupComplete ? Status.UP : Status.DOWN, next, startupVerdict.degraded,
                startupReason, startup, validUntil));
        put(new ProbeReport(Probe.LIVENESS, liveVerdict.up ? Status.UP : Status.DOWN, next, liveVerdict.degraded,
                liveVerdict.reason, liveness, validUntil));
        put(new ProbeReport(Probe.READINESS, next.acceptsTraffic() ? Status.UP : Status.DOWN, next,
                readyVerdict.degraded, readyReason, readiness, validUntil));

        AvailabilityState previous = state;
        if (previous != next) {
            state = next;
            log.info("availability {} -> {}{}", previous, next, readyReason.isEmpty() ? "" : " (" + readyReason + ")");
            for (AvailabilityListener l : availabilityListeners) {
                try {
                    l.onChange(previous, next);
                } catch (VirtualMachineError e) {
                    throw e;
                } catch (Throwable e) {
                    log.warn("availability listener {} failed: {}", l, e.toString());
                }
            }
        }
    }

    private void put(ProbeReport report) {
        reports.put(report.probe(), report);
        switch (report.probe()) {
            case STARTUP -> startupReport = report;
            case LIVENESS -> livenessReport = report;
            case READINESS -> readinessReport = report;
        }
    }

    private record Verdict(boolean up, boolean degraded, String reason) {
        String degradedReason() {
            return degraded ? reason : "";
        }
    }

    private static Verdict verdict(Probe probe, List<CheckSnapshot> checks) {
        StringBuilder failing = new StringBuilder();
        StringBuilder degraded = new StringBuilder();
        for (CheckSnapshot c : checks) {
            if (c.passes(probe)) {
                continue;
            }
            StringBuilder target = c.required() ? failing : degraded;
            if (target.length() > 0) {
                target.append("; ");
            }
            target.append(c.name()).append(' ').append(c.status());
            if (!c.message().isEmpty()) {
                target.append(": ").append(c.message());
            }
        }
        boolean up = failing.length() == 0;
        boolean isDegraded = degraded.length() > 0;
        String reason = !up ? failing.toString() : isDegraded ? "degraded: " + degraded : "";
        return new Verdict(up, isDegraded, reason);
    }

    /** Builds a {@link HealthRegistry}. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private ExecutorService workers;
        private CheckOptions localDefaults = CheckOptions.builder().interval(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(1)).build();
        private CheckOptions dependencyDefaults = CheckOptions.defaults();

        private Builder() {
        }

        /** Monotonic time, for tests. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Wall-clock time shown in verbose output. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs checks on these executors instead of the registry's own daemon threads. The worker executor must
         * run each task on a thread of its own at once (a cached pool, not a bounded queue): a hung check holds
         * its thread. The caller shuts supplied executors down.
         */
        public Builder executors(ScheduledExecutorService scheduler, ExecutorService workers) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.workers = Objects.requireNonNull(workers, "workers");
            return this;
        }

        /** Options for {@link LocalCheck}s registered without options. Default: every 1 s, 1 s timeout. */
        public Builder localDefaults(CheckOptions options) {
            this.localDefaults = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Options for {@link DependencyCheck}s registered without options. Default: {@link CheckOptions#defaults()}. */
        public Builder dependencyDefaults(CheckOptions options) {
            this.dependencyDefaults = Objects.requireNonNull(options, "options");
            return this;
        }

        public HealthRegistry build() {
            return new HealthRegistry(this);
        }
    }
}
