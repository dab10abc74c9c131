package dev.readiness.core.drain;

import dev.readiness.core.time.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests a server is working on, exactly: a server adapter calls {@link #begin()} when a request
 * arrives and {@link Request#end()} when its response is complete (or failed). Also tells adapters when to
 * answer {@code Connection: close}.
 * <p>
 * Thread-safe and cheap: one map insert and remove per request.
 */
public final class InFlightTracker {

    private final Ticker ticker;
    private final ConcurrentHashMap<Request, Boolean> running = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final Object idle = new Object();
    private volatile boolean closeConnections;

    public InFlightTracker() {
        this(Ticker.system());
    }

    public InFlightTracker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** A request has arrived. Call {@link Request#end()} exactly once when its response is done; more calls are no-ops. */
    public Request begin() {
        Request r = new Request(ticker.nanoTime());
        accepted.incrementAndGet();
        running.put(r, Boolean.TRUE);
        return r;
    }

    /** Requests begun and not yet ended. */
    public int inFlight() {
        return running.size();
    }

    /** Requests begun since this tracker was created. */
    public long accepted() {
        return accepted.get();
    }

    /** Requests ended since this tracker was created. */
    public long completed() {
        return completed.get();
    }

    /** Age of the oldest request still running, or zero when none is. */
    public Duration oldestAge() {
        long now = ticker.nanoTime();
        long oldest = 0;
        for (Request r : running.keySet()) {
            oldest = Math.max(oldest, now - r.startNanos);
        }
        return Duration.ofNanos(oldest);
    }

    /** Whether responses should carry {@code Connection: close}: set once the server stops accepting. */
    public boolean closeConnections() {
        return closeConnections;
    }

    /** From now on adapters answer {@code Connection: close}. Never undone. */
    public void startClosingConnections() {
        closeConnections = true;
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}.
     *
     * @return {@code true} when none is in flight
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
            return true;
        }
    }

    private void ended(Request r) {
        if (running.remove(r) != null) {
            completed.incrementAndGet();
            if (running.isEmpty()) {
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    /** One request in flight. */
    public final class Request implements AutoCloseable {
        private final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Request(long startNanos) {
            this.startNanos = startNanos;
        }

        /** The response is complete (or failed). Idempotent. */
        public void end() {
            if (ended.compareAndSet(false, true)) {
                ended(this);
            }
        }

        @Override
        public void close() {
            end();
        }
    }
}
