package dev.readiness.core.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs nothing until the test says so. A submitted task that the test never runs is an
 * evaluation that hangs; {@link #pending()} counts evaluations in flight.
 */
public final class ManualExecutor extends AbstractExecutorService {

    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private boolean shutdown;

    @Override
    public synchronized void execute(Runnable command) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        tasks.add(command);
    }

    /** Runs every task submitted so far, oldest first, on the calling thread. */
    public void runAll() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(tasks);
            tasks.clear();
        }
        now.forEach(Runnable::run);
    }

    public synchronized int pending() {
        return tasks.size();
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> out = new ArrayList<>(tasks);
        tasks.clear();
        return out;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
