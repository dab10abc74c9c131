package dev.readiness.core.drain;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Drains a service on SIGTERM, or when {@link #drain()} is called, in this order:
 * <ol>
 *   <li>readiness DOWN at once ({@link HealthRegistry#beginDrain()}); liveness stays UP;</li>
 *   <li>keep serving for the propagation delay (default 5 s), while endpoints and load balancers drop the pod;</li>
 *   <li>stop accepting on every {@link DrainableServer}, close idle keep-alive connections, answer
 *       {@code Connection: close};</li>
 *   <li>wait for in-flight requests up to the drain timeout (default 20 s); past it, log how many still run and
 *       the age of the oldest;</li>
 *   <li>close registered resources in reverse order of registration, each with its own timeout (default 2 s);
 *       a close that hangs is abandoned and the others still close;</li>
 *   <li>{@link HealthRegistry#markStopped()}, and after a signal, halt with the configured exit status
 *       (default 0, see {@link DrainSettings#exitCode()}).</li>
 * </ol>
 * Each phase is logged with its duration. Only one drain ever runs: a second {@link #drain()} call waits for the
 * first and returns its report; a second SIGTERM or a SIGINT during a drain is logged and ignored.
 * <p>
 * <b>Exit status.</b> After SIGTERM a JVM exits with 143 once its shutdown hooks return. When the drain was
 * started by a signal, the hook installed by {@link #installShutdownHook()} ends with
 * {@link Runtime#halt(int)} and the configured status instead. The JVM starts all shutdown hooks at the same
 * time, so other hooks have been running during the whole drain; one that is still running when the drain ends
 * is cut short. Register what must close in order with {@link #register(String, AutoCloseable)} instead of a
 * shutdown hook, or set {@code readiness.drain.exit-code=jvm}.
 */
public final class GracefulDrain {

    private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);

    private final HealthRegistry registry;
    private final DrainSettings settings;
    private final InFlightTracker tracker;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final IntConsumer halter;
    private final List<DrainableServer> servers = new CopyOnWriteArrayList<>();
    private final List<Resource> resources = new CopyOnWriteArrayList<>();
    private final List<DrainListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<CompletableFuture<DrainReport>> run = new AtomicReference<>();
    private final SignalWatcher signals = new SignalWatcher(this);
    private volatile DrainPhase phase = DrainPhase.SERVING;
    private volatile long phaseStart;
    private volatile boolean hookInstalled;

    private GracefulDrain(Builder b) {
        this.registry = b.registry;
        this.settings = b.settings;
        this.ticker = b.ticker != null ? b.ticker : registry.ticker();
        this.tracker = b.tracker != null ? b.tracker : new InFlightTracker(ticker);
        this.sleeper = b.sleeper;
        this.halter = b.halter;
        this.servers.addAll(b.servers);
        settings.gracePeriodProblem().ifPresent(log::warn);
    }

    /** A drain for {@code registry}, with settings from {@link Builder#settings(DrainSettings)} or the defaults. */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** The settings in use. */
    public DrainSettings settings() {
        return settings;
    }

    /** The tracker that server adapters feed; its count is what the drain waits for. */
    public InFlightTracker tracker() {
        return tracker;
    }

    /** The current phase. */
    public DrainPhase phase() {
        return phase;
    }

    /** Adds a server to stop accepting on; add it before the drain begins. */
    public GracefulDrain server(DrainableServer server) {
        servers.add(Objects.requireNonNull(server, "server"));
        return this;
    }

    /** Registers a resource closed after the requests drained, with the default close timeout. */
    public GracefulDrain register(String name, AutoCloseable resource) {
        return register(name, resource, settings.resourceCloseTimeout());
    }

    /**
     * Registers a resource (a connection pool, a client, an executor) closed after in-flight requests drained.
     * Resources close in reverse order of registration, so register a pool before the clients that use it.
     *
     * @param timeout longest wait for this close; past it the close is abandoned and the next one starts
     */
    public GracefulDrain register(String name, AutoCloseable resource, Duration timeout) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("close timeout of resource '" + name + "' must be positive, was "
                    + timeout);
        }
        resources.add(new Resource(name, resource, timeout));
        return this;
    }

    /** Registers an executor: shut down, then awaited for its close timeout, then shut down now. */
    public GracefulDrain register(String name, ExecutorService executor) {
        Duration timeout = settings.resourceCloseTimeout();
        return register(name, () -> {
            executor.shutdown();
            if (!executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        }, timeout.plusMillis(100));
    }

    public void addListener(DrainListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Drains on SIGTERM and SIGINT: installs a JVM shutdown hook that runs {@link #drain()} and then exits with
     * the configured status, and a signal handler that ignores a second signal during the drain. Idempotent.
     */
    public synchronized GracefulDrain installShutdownHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            DaemonThreads.onShutdown("readiness-drain", this::onShutdown);
            signals.install();
            log.info("drain on SIGTERM installed: {}", settings);
        }
        return this;
    }

    /**
     * Runs the drain on the calling thread and returns what it did. When a drain already began, waits for it and
     * returns its report; a second drain never starts. Does not exit the process.
     */
    public DrainReport drain() {
        CompletableFuture<DrainReport> mine = new CompletableFuture<>();
        if (!run.compareAndSet(null, mine)) {
            log.info("drain already running (phase {}); waiting for it", phase);
            return run.get().join();
        }
        try {
            DrainReport report = runDrain();
            mine.complete(report);
            return report;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private void onShutdown() {
        DrainReport report;
        try {
            report = drain();
        } catch (RuntimeException e) {
            log.error("drain failed", e);
            report = null;
        }
        if (signals.signalled() && settings.exitCode().isPresent()) {
            int code = settings.exitCode().getAsInt();
            log.info("exiting with status {} after {}{}", code,
                    signals.signal() != null ? signals.signal() : "shutdown",
                    report == null ? " (drain failed)" : "");
            System.out.flush();
            System.err.flush();
            halter.accept(code);
        }
    }

    private DrainReport runDrain() {
        long begin = ticker.nanoTime();
        phaseStart = begin;
        if (!registry.beginDrain()) {
            log.info("readiness was already draining");
        }
        enter(DrainPhase.PROPAGATING);
        log.info("drain phase 1/4 propagation: readiness DOWN, liveness UP; serving for {} while load balancers"
                + " catch up ({} in flight)", DrainSettings.seconds(settings.propagationDelay()), tracker.inFlight());
        try {
            sleeper.sleep(settings.propagationDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("propagation delay interrupted; draining now");
        }
        long propagationEnd = ticker.nanoTime();

        enter(DrainPhase.DRAINING);
        tracker.startClosingConnections();
        Set<String> failedServers = new LinkedHashSet<>();
        for (DrainableServer s : servers) {
            try {
                s.stopAccepting();
            } catch (Exception e) {
                failedServers.add(s.name());
                log.warn("server {} failed to stop accepting: {}", s.name(), e.toString());
            }
        }
        int atStop = tracker.inFlight();
        log.info("drain phase 2/4 requests: stopped accepting on {} server(s); waiting up to {} for {} in-flight"
                + " request(s)", servers.size(), DrainSettings.seconds(settings.timeout()), atStop);
        boolean idle;
        boolean interrupted = Thread.interrupted();
        try {
            idle = tracker.awaitIdle(settings.timeout());
        } catch (InterruptedException e) {
            interrupted = true;
            idle = tracker.inFlight() == 0;
        }
        int still = tracker.inFlight();
        Duration oldest = tracker.oldestAge();
        long requestsEnd = ticker.nanoTime();
        if (idle) {
            log.info("drain phase 2/4 requests: {} in-flight request(s) finished in {} ms", atStop,
                    millis(requestsEnd - propagationEnd));
        } else {
            log.warn("drain timeout {} passed with {} request(s) still running, the oldest for {} ms; closing anyway",
                    DrainSettings.seconds(settings.timeout()), still, oldest.toMillis());
        }
        for (DrainableServer s : servers) {
            try {
                s.stop();
            } catch (Exception e) {
                failedServers.add(s.name());
                log.warn("server {} failed to stop: {}", s.name(), e.toString());
            }
        }
        requestsEnd = ticker.nanoTime();

        enter(DrainPhase.CLOSING);
        List<String> failed = closeResources();
        long end = ticker.nanoTime();

        enter(DrainPhase.STOPPED);
        registry.markStopped();
        DrainReport report = new DrainReport(Duration.ofNanos(propagationEnd - begin),
                Duration.ofNanos(requestsEnd - propagationEnd), Duration.ofNanos(end - requestsEnd),
                Duration.ofNanos(end - begin), tracker.accepted(), tracker.completed(), idle ? 0 : still,
                idle ? Duration.ZERO : oldest, failed, List.copyOf(failedServers));
        log.info("drain phase 4/4 stopped: drain complete in {} ms (propagation {} ms, requests {} ms, resources {} ms); requests accepted {},"
                        + " completed {}, still running {}; resources failed {}; servers failed {}", report.total().toMillis(),
                report.propagation().toMillis(), report.requests().toMillis(), report.resources().toMillis(),
                report.accepted(), report.completed(), report.stillRunning(), failed, report.failedServers());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return report;
    }

    private List<String> closeResources() {
        List<Resource> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        log.info("drain phase 3/4 resources: closing {} resource(s) in reverse order of registration",
                reversed.size());
        List<String> failed = new ArrayList<>();
        for (Resource r : reversed) {
            long t0 = ticker.nanoTime();
            CompletableFuture<Throwable> result = new CompletableFuture<>();
            // a daemon: a close that hangs must never keep the JVM alive
            Thread t = DaemonThreads.start("readiness-drain-close-" + r.name, () -> {
                try {
                    r.resource.close();
                    result.complete(null);
                } catch (Throwable e) {
                    result.complete(e);
                }
            });
            Throwable error;
            try {
                error = result.get(r.timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                log.warn("resource {} did not close within {}; abandoned", r.name, DrainSettings.seconds(r.timeout));
                failed.add(r.name);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(r.name);
                continue;
            } catch (java.util.concurrent.ExecutionException e) {
                error = e.getCause();
            }
            if (error != null) {
                log.warn("resource {} failed to close in {} ms: {}", r.name, millis(ticker.nanoTime() - t0),
                        error.toString());
                failed.add(r.name);
            } else {
                log.info("resource {} closed in {} ms", r.name, millis(ticker.nanoTime() - t0));
            }
        }
        return failed;
    }

    private void enter(DrainPhase next) {
        long now = ticker.nanoTime();
        DrainPhase previous = phase;
        Duration took = previous == DrainPhase.SERVING ? Duration.ZERO : Duration.ofNanos(now - phaseStart);
        phaseStart = now;
        phase = next;
        for (DrainListener l : listeners) {
            try {
                l.onPhase(previous, next, took);
            } catch (RuntimeException e) {
                log.warn("drain listener {} failed: {}", l, e.toString());
            }
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private record Resource(String name, AutoCloseable resource, Duration timeout) {
    }

    /** Waits; a test supplies one that only advances a fake ticker. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper SYSTEM = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }

    /** Builds a {@link GracefulDrain}. */
    public static final class Builder {
        private final HealthRegistry registry;
        private DrainSettings settings = DrainSettings.defaults();
        private InFlightTracker tracker;
        private Ticker ticker;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private IntConsumer halter = code -> Runtime.getRuntime().halt(code);
        private final List<DrainableServer> servers = new ArrayList<>();

        private Builder(HealthRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Default {@link DrainSettings#defaults()}; read them with {@link DrainConfig#from}. */
        public Builder settings(DrainSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The tracker server adapters feed. Default: a new one on the registry's ticker. */
        public Builder tracker(InFlightTracker tracker) {
            this.tracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** A server to stop accepting on. */
        public Builder server(DrainableServer server) {
            servers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        /** Time source for phase durations. Default: the registry's ticker. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        Builder halter(IntConsumer halter) {
            this.halter = Objects.requireNonNull(halter, "halter");
            return this;
        }

        /** Builds, and logs a warning with the numbers and the fix when the drain does not fit the grace period. */
        public GracefulDrain build() {
            return new GracefulDrain(this);
        }
    }
}
