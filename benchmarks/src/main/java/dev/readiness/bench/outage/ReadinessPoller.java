package dev.readiness.bench.outage;

import dev.readiness.testkit.http.NoRetryHttpClient;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks one replica's readiness endpoint directly (not through the load balancer) every {@code period}, each ask
 * on a new connection with its own timeout, and records when each was sent and whether it answered 200.
 */
final class ReadinessPoller implements AutoCloseable {

    /** One ask: when it was sent ({@link System#nanoTime()}) and whether the answer was 200 in time. */
    record Poll(long sent, boolean ready) {
    }

    private final ConcurrentLinkedQueue<Poll> polls = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    ReadinessPoller(String name, int port, String path, Duration period, Duration timeout) {
        thread = new Thread(() -> {
            try (NoRetryHttpClient client = new NoRetryHttpClient(timeout, false)) {
                for (long next = System.nanoTime(); !stopped; ) {
                    long sent = System.nanoTime();
                    boolean ready;
                    try {
                        ready = client.get(port, path, timeout).status() == 200;
                    } catch (Exception e) {
                        ready = false;
                    }
                    polls.add(new Poll(sent, ready));
                    next = Math.max(next + period.toNanos(), System.nanoTime());
                    for (long wait = next - System.nanoTime(); wait > 0 && !stopped; wait = next - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
        }, "readiness-poller-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The polls so far, in the order they were sent. */
    List<Poll> polls() {
        return List.copyOf(polls);
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }
}
