package dev.readiness.testkit.rolling;

import dev.readiness.testkit.http.NoRetryHttpClient;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends GET requests at a constant rate to one loopback port until stopped or until its time or count bound
 * is reached, whichever comes first: {@code /} mostly, and every {@code slowEvery}-th request
 * {@code /slow?ms=N} with N up to {@code maxSlow}. Counts successes (2xx) and failures, and keeps the first
 * failures as samples. Each request is sent once, on a kept-alive connection ({@link NoRetryHttpClient}): a
 * refused or reset connection, a timeout or a non-2xx answer is a failure, never retried.
 */
public final class LoadDriver implements AutoCloseable {

    private final int port;
    private final int ratePerSecond;
    private final int slowEvery;
    private final Duration maxSlow;
    private final Duration maxRun;
    private final long maxRequests;
    private final ExecutorService threads = Executors.newCachedThreadPool(LaggingProxy.daemon("load-driver"));
    private final NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(10), true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong slowOk = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    private final long t0 = System.nanoTime();
    private volatile boolean stopped;
    private Thread loop;

    public LoadDriver(int port, int ratePerSecond, int slowEvery, Duration maxSlow, Duration maxRun) {
        if (ratePerSecond < 1 || ratePerSecond > 2000) {
            throw new IllegalArgumentException("rate must be 1..2000 requests/s, was " + ratePerSecond);
        }
        this.port = port;
        this.ratePerSecond = ratePerSecond;
        this.slowEvery = Math.max(1, slowEvery);
        this.maxSlow = maxSlow;
        this.maxRun = maxRun;
        this.maxRequests = ratePerSecond * Math.max(1, maxRun.toSeconds() + 1);
    }

    public LoadDriver start() {
        loop = new Thread(this::run, "load-driver-loop");
        loop.setDaemon(true);
        loop.start();
        return this;
    }

    private void run() {
        Random random = new Random(42);
        long periodNanos = 1_000_000_000L / ratePerSecond;
        long deadline = t0 + maxRun.toNanos();
        for (long i = 0; !stopped && i < maxRequests; i++) {
            long due = t0 + i * periodNanos;
            if (due - deadline > 0) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String path = i % slowEvery == slowEvery - 1
                    ? "/slow?ms=" + (1 + random.nextInt((int) Math.max(1, maxSlow.toMillis()))) : "/";
            sent.incrementAndGet();
            long started = System.nanoTime();
            CompletableFuture<?> f = CompletableFuture.runAsync(() -> send(path, started), threads);
            pending.add(f);
            pending.removeIf(CompletableFuture::isDone);
        }
    }

    private void send(String path, long started) {
        NoRetryHttpClient.Response r;
        try {
            r = client.get(port, path, Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            unreachable.incrementAndGet();
            sample(started, path, e.toString());
            return;
        }
        if (r.status() / 100 == 2) {
            ok.incrementAndGet();
            if (path.startsWith("/slow")) {
                slowOk.incrementAndGet();
            }
        } else {
            failed.incrementAndGet();
            String backend = r.header("X-Backend");
            sample(started, path, r.status() + " " + (backend == null ? "-" : backend) + " " + abbreviate(r.text()));
        }
    }

    private void sample(long started, String path, String what) {
        if (failures.size() < 50) {
            failures.add(String.format(java.util.Locale.ROOT, "%.3fs %s -> %s", (started - t0) / 1e9, path, what));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Stops sending and waits, at most {@code timeout}, for the requests already sent. */
    public void stopAndAwait(Duration timeout) throws InterruptedException {
        stopped = true;
        if (loop != null) {
            loop.join(5_000);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // counted as failures by each request's own completion
        }
    }

    public long sent() {
        return sent.get();
    }

    public long ok() {
        return ok.get();
    }

    public long failed() {
        return failed.get();
    }

    /**
     * Failed requests that never got an answer from the proxy (connect timeout, reset): the harness itself was
     * starved, not the service under test. Included in {@link #failed()}.
     */
    public long unreachable() {
        return unreachable.get();
    }

    public long slowOk() {
        return slowOk.get();
    }

    /** Requests sent whose outcome is not known yet. */
    public long outstanding() {
        return sent.get() - ok.get() - failed.get();
    }

    public List<String> failureSamples() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        stopped = true;
        threads.shutdownNow();
        client.close();
    }
}
