package dev.readiness.core.warmup;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The warm-up gate: tasks that run after start-up and before readiness turns UP, one after another, bounded by one
 * timeout ({@code readiness.warmup.timeout}). A task that fails is logged and counted; when the timeout passes, the
 * running task is interrupted (and abandoned: it runs on a daemon thread) and the rest are skipped. Readiness turns
 * UP either way: a warm-up makes the first requests faster, it never keeps a service out of rotation.
 * <p>
 * {@link #runThenStart(HealthRegistry)} is the gate for a plain service: run the warm-up, then
 * {@link HealthRegistry#markStarted()}. The Spring Boot starter runs it before its application-ready event.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final WarmUpSettings settings;
    private final Map<String, WarmUpTask> tasks;
    private final Ticker ticker;
    private final AtomicReference<WarmUpReport> last = new AtomicReference<>();

    private WarmUp(WarmUpSettings settings, Map<String, WarmUpTask> tasks, Ticker ticker) {
        this.settings = settings;
        this.tasks = tasks;
        this.ticker = ticker;
    }

    public static Builder builder(WarmUpSettings settings) {
        return new Builder(Objects.requireNonNull(settings, "settings"));
    }

    /** Runs every task within the timeout, on a daemon thread, and returns what they did. */
    public WarmUpReport run() {
        if (!settings.enabled() || tasks.isEmpty()) {
            WarmUpReport none = new WarmUpReport(Duration.ZERO, List.of());
            last.set(none);
            return none;
        }
        long begin = ticker.nanoTime();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        List<WarmUpReport.TaskOutcome> out = new ArrayList<>();
        boolean timedOut = false;
        log.info("warm-up: {} task(s) within {}", tasks.size(), settings.timeout());
        for (Map.Entry<String, WarmUpTask> e : tasks.entrySet()) {
            String name = e.getKey();
            if (timedOut) {
                out.add(new WarmUpReport.TaskOutcome(name, WarmUpReport.Result.SKIPPED, Duration.ZERO, ""));
                continue;
            }
            long t0 = ticker.nanoTime();
            CompletableFuture<Throwable> done = new CompletableFuture<>();
            Thread t = DaemonThreads.start("readiness-warmup-" + name, () -> {
                try {
                    e.getValue().run();
                    done.complete(null);
                } catch (Throwable x) {
                    done.complete(x);
                }
            });
            WarmUpReport.TaskOutcome outcome;
            try {
                Throwable error = done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Duration took = Duration.ofNanos(ticker.nanoTime() - t0);
                outcome = error == null
                        ? new WarmUpReport.TaskOutcome(name, WarmUpReport.Result.OK, took, "")
                        : new WarmUpReport.TaskOutcome(name, WarmUpReport.Result.FAILED, took, error.toString());
                if (error != null) {
                    log.warn("warm-up task {} failed after {} ms: {}", name, took.toMillis(), error.toString());
                }
            } catch (TimeoutException x) {
                t.interrupt();
                timedOut = true;
                outcome = new WarmUpReport.TaskOutcome(name, WarmUpReport.Result.TIMED_OUT,
                        Duration.ofNanos(ticker.nanoTime() - t0), "");
                log.warn("warm-up timeout {} passed during task {}; interrupted, the rest skipped",
                        settings.timeout(), name);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                t.interrupt();
                timedOut = true;
                outcome = new WarmUpReport.TaskOutcome(name, WarmUpReport.Result.TIMED_OUT,
                        Duration.ofNanos(ticker.nanoTime() - t0), "interrupted");
            } catch (ExecutionException x) {
                throw new IllegalStateException(x); // done is only ever completed normally
            }
            out.add(outcome);
        }
        WarmUpReport report = new WarmUpReport(Duration.ofNanos(ticker.nanoTime() - begin), out);
        last.set(report);
        log.info("warm-up done in {} ms: {} ok, {} failed, {} timed out, {} skipped", report.took().toMillis(),
                report.count(WarmUpReport.Result.OK), report.count(WarmUpReport.Result.FAILED),
                report.count(WarmUpReport.Result.TIMED_OUT), report.count(WarmUpReport.Result.SKIPPED));
        return report;
    }

    /** Runs the warm-up, then tells {@code registry} the application has started. */
    public WarmUpReport runThenStart(HealthRegistry registry) {
        try {
            return run();
        } finally {
            registry.markStarted();
        }
    }

    /** The report of the last run, or {@code null} before the first. */
    public WarmUpReport lastReport() {
        return last.get();
    }

    /** The task names, in the order they run. */
    public List<String> taskNames() {
        return List.copyOf(tasks.keySet());
    }

    /** Builds a {@link WarmUp}. */
    public static final class Builder {
        private final WarmUpSettings settings;
        private final Map<String, WarmUpTask> tasks = new LinkedHashMap<>();
        private Ticker ticker = Ticker.system();

        private Builder(WarmUpSettings settings) {
            this.settings = settings;
        }

        /**
         * A task, run in the order added.
         *
         * @throws IllegalArgumentException when a task of that name was added already
         */
        public Builder task(String name, WarmUpTask task) {
            Objects.requireNonNull(name, "name");
            if (tasks.putIfAbsent(name, Objects.requireNonNull(task, "task")) != null) {
                throw new IllegalArgumentException("warm-up task added twice: " + name);
            }
            return this;
        }

        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public WarmUp build() {
            return new WarmUp(settings, new LinkedHashMap<>(tasks), ticker);
        }
    }
}
