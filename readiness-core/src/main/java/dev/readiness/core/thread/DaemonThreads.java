package dev.readiness.core.thread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread the library starts (shutdown hooks aside, see {@link #onShutdown}): a daemon (it must never keep the JVM alive past its shutdown hooks), and named so a
 * thread dump says whose it is ({@code readiness-...}). One place, so a new thread cannot forget either.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory whose threads all carry {@code name}, for a single-thread executor. */
    public static ThreadFactory named(String name) {
        requireName(name);
        return r -> thread(name, r);
    }

    /** A factory whose threads are {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory numbered(String prefix) {
        requireName(prefix);
        AtomicInteger n = new AtomicInteger();
        return r -> thread(prefix + "-" + n.incrementAndGet(), r);
    }

    /** A daemon thread called {@code name} that runs {@code task}, not yet started. */
    public static Thread thread(String name, Runnable task) {
        requireName(name);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** {@link #thread} and started. */
    public static Thread start(String name, Runnable task) {
        Thread t = thread(name, task);
        t.start();
        return t;
    }

    /**
     * Registers {@code task} as a JVM shutdown hook called {@code name}: the one kind of library thread that is
     * not a daemon, since the JVM runs its hooks and waits for them before it exits.
     *
     * @throws IllegalStateException when the JVM is already shutting down
     */
    public static void onShutdown(String name, Runnable task) {
        requireName(name);
        Runtime.getRuntime().addShutdownHook(new Thread(task, name));
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a library thread needs a name");
        }
    }
}
