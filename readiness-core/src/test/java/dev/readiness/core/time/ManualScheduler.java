package dev.readiness.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded scheduler driven by a {@link FakeTicker}: nothing runs until {@link #advance(Duration)},
 * which runs every task that falls due, in time order, on the calling thread, moving the ticker to each task's
 * time. Lets tests of scheduled behaviour run without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final FakeTicker ticker;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    public ManualScheduler(FakeTicker ticker) {
        this.ticker = ticker;
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way. */
    public synchronized void advance(Duration d) {
        long target = ticker.nanoTime() + d.toNanos();
        while (!queue.isEmpty() && queue.peek().at - target <= 0) {
            Task t = queue.poll();
            if (t.cancelled) {
                continue;
            }
            if (t.at - ticker.nanoTime() > 0) {
                ticker.set(t.at);
            }
            try {
                t.command.run();
            } catch (RuntimeException e) {
                t.done = true; // a real ScheduledThreadPoolExecutor also stops a periodic task that throws
                throw e;
            }
            if (t.period > 0 && !t.cancelled) {
                t.at += t.period;
                queue.add(t);
            } else {
                t.done = true;
            }
        }
        if (target - ticker.nanoTime() > 0) {
            ticker.set(target);
        }
    }

    /** Tasks that are scheduled and not cancelled. */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    private Task add(Runnable command, long delay, long period) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        Task t = new Task(command, ticker.nanoTime() + Math.max(0, delay), period, sequence++);
        queue.add(t);
        return t;
    }

    @Override
    public synchronized void execute(Runnable command) {
        add(command, 0, 0);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>();
        queue.forEach(t -> out.add(t.command));
        queue.clear();
        return out;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final long period;
        final long seq;
        long at;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable command, long at, long period, long seq) {
            this.command = command;
            this.at = at;
            this.period = period;
            this.seq = seq;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - ticker.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task other = (Task) o;
            int c = Long.compare(at - other.at, 0);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
