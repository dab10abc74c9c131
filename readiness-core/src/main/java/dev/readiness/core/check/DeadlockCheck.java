package dev.readiness.core.check;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Objects;

/**
 * Liveness DOWN while threads of this JVM are deadlocked, read from the JVM's own {@link ThreadMXBean}: cycles of
 * threads each waiting for an object monitor ({@code synchronized}) or an ownable synchronizer (a
 * {@link java.util.concurrent.locks.ReentrantLock}, a write lock) that the next one holds. A deadlock never ends by
 * itself and holds its locks for good, so every request that needs one of them hangs behind it; a restart cures it,
 * which is what liveness is for. The message names each thread, the lock it waits for and the thread holding it.
 * <p>
 * Cheap: one evaluation is one VM operation that walks the threads' lock graph (tens of microseconds with a few
 * hundred threads; {@code DeadlockCheckTest} prints the figure), and stack traces are not taken. It does not see a
 * thread stuck on I/O or in {@link Object#wait()}: those are not deadlocks, and may end.
 * <p>
 * The starter registers it for liveness as {@value #NAME} unless {@code readiness.liveness.deadlock.enabled=false}.
 * Thread-safe.
 */
public final class DeadlockCheck implements LocalCheck {

    /** The name the starter and the samples register it under. */
    public static final String NAME = "deadlock";

    /** At most this many threads are named in the message; the count says how many there are. */
    static final int NAMED_THREADS = 8;

    private final ThreadMXBean threads;

    /** The check over this JVM's threads. */
    public DeadlockCheck() {
        this(ManagementFactory.getThreadMXBean());
    }

    DeadlockCheck(ThreadMXBean threads) {
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    @Override
    public CheckResult check() {
        boolean synchronizers = threads.isSynchronizerUsageSupported();
        long[] ids = synchronizers ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return CheckResult.up();
        }
        ThreadInfo[] infos = threads.getThreadInfo(ids); // no stack traces: the lock and its owner are enough
        StringBuilder m = new StringBuilder().append(ids.length).append(ids.length == 1 ? " thread" : " threads")
                .append(" deadlocked");
        if (!synchronizers) {
            m.append(" on monitors (this JVM does not report locks from java.util.concurrent)");
        }
        m.append(": ");
        int named = 0;
        for (ThreadInfo t : infos) {
            if (t == null) {
                continue; // ended since it was found: cannot be, for a deadlocked thread, but the API allows it
            }
            if (named == NAMED_THREADS) {
                m.append("; and ").append(ids.length - named).append(" more");
                break;
            }
            if (named > 0) {
                m.append("; ");
            }
            m.append('\'').append(t.getThreadName()).append("' waits for ").append(t.getLockName())
                    .append(" held by '").append(t.getLockOwnerName()).append('\'');
            named++;
        }
        return CheckResult.down(m.toString()).withDetail("deadlockedThreads", ids.length);
    }

    @Override
    public String toString() {
        return "DeadlockCheck";
    }
}
