package dev.readiness.core.check;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real threads, really deadlocked. The threads deadlocked on {@code java.util.concurrent} locks wait with
 * {@link ReentrantLock#lockInterruptibly()}, so an interrupt frees them and the check is seen turning UP again; the
 * threads deadlocked on {@code synchronized} have no way out and are left behind as daemons, so that test runs last
 * (no other test in this module reads the JVM's deadlocks).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadlockCheckTest {

    private final DeadlockCheck check = new DeadlockCheck();

    @Test
    @Order(1)
    void upWhenNoThreadIsDeadlockedAndOneEvaluationIsCheapEvenWithAServersWorthOfThreads()
            throws InterruptedException {
        assertThat(check.check()).isEqualTo(CheckResult.up());
        System.out.printf("DeadlockCheck: one evaluation %d µs with %d live threads%n", costMicros(),
                ManagementFactory.getThreadMXBean().getThreadCount());
        // a server's worth of threads (Tomcat's default pool is 200), some holding locks, none deadlocked
        CountDownLatch done = new CountDownLatch(1);
        List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ReentrantLock held = new ReentrantLock();
            parked.add(daemon("parked-" + i, () -> {
                held.lock();
                try {
                    awaitQuietly(done);
                } finally {
                    held.unlock();
                }
            }));
        }
        parked.forEach(Thread::start);
        try {
            assertThat(check.check()).isEqualTo(CheckResult.up());
            long micros = costMicros();
            System.out.printf("DeadlockCheck: one evaluation %d µs with %d live threads%n", micros,
                    ManagementFactory.getThreadMXBean().getThreadCount());
            // the local checks' default interval is 1 s: an evaluation must cost a small fraction of it
            assertThat(Duration.ofNanos(micros * 1_000)).isLessThan(Duration.ofMillis(5));
        } finally {
            done.countDown();
            for (Thread t : parked) {
                t.join(10_000);
            }
        }
    }

    /** The mean cost of one evaluation, after a warm-up. */
    private long costMicros() {
        for (int i = 0; i < 200; i++) {
            check.check();
        }
        int runs = 1_000;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            check.check();
        }
        return (System.nanoTime() - start) / runs / 1_000;
    }

    @Test
    @Order(2)
    void downNamingEachThreadItsLockAndTheHolderWhileTwoThreadsDeadlockOnReentrantLocksAndUpOnceFreed()
            throws InterruptedException {
        List<Thread> threads = deadlockOnLocks("lock-cycle", 2);
        try {
            CheckResult r = awaitDown();
            System.out.println("DeadlockCheck: " + r.message());
            assertThat(r.message()).startsWith("2 threads deadlocked: ")
                    .contains("'lock-cycle-0' waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                    .contains("held by 'lock-cycle-1'")
                    .contains("'lock-cycle-1' waits for java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                    .contains("held by 'lock-cycle-0'");
            assertThat(r.details()).containsEntry("deadlockedThreads", 2);
        } finally {
            free(threads);
        }
        assertThat(check.check()).as("after the deadlock was broken").isEqualTo(CheckResult.up());
    }

    @Test
    @Order(3)
    void aLargeDeadlockNamesEightThreadsAndCountsTheRest() throws InterruptedException {
        List<Thread> threads = deadlockOnLocks("ring", 11);
        try {
            CheckResult r = awaitDown(11);
            assertThat(r.message()).startsWith("11 threads deadlocked: ").endsWith("; and 3 more");
            assertThat(r.message().split("' waits for ", -1)).hasSize(DeadlockCheck.NAMED_THREADS + 1);
        } finally {
            free(threads);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void downNamingTheThreadsAndMonitorsWhileTwoThreadsDeadlockOnSynchronized() {
        Object a = new Object();
        Object b = new Object();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread first = daemon("monitor-0", () -> {
            synchronized (a) {
                bothHoldOne.countDown();
                awaitQuietly(bothHoldOne);
                synchronized (b) {
                    throw new AssertionError("took both monitors: no deadlock");
                }
            }
        });
        Thread second = daemon("monitor-1", () -> {
            synchronized (b) {
                bothHoldOne.countDown();
                awaitQuietly(bothHoldOne);
                synchronized (a) {
                    throw new AssertionError("took both monitors: no deadlock");
                }
            }
        });
        first.start();
        second.start();

        CheckResult r = awaitDown();
        System.out.println("DeadlockCheck: " + r.message());
        assertThat(r.message()).startsWith("2 threads deadlocked: ")
                .contains("'monitor-0' waits for java.lang.Object@" + Integer.toHexString(System.identityHashCode(b))
                        + " held by 'monitor-1'")
                .contains("'monitor-1' waits for java.lang.Object@" + Integer.toHexString(System.identityHashCode(a))
                        + " held by 'monitor-0'");
        // no way out of a monitor deadlock: the two daemons stay blocked until this JVM exits
    }

    private CheckResult awaitDown() {
        return awaitDown(2);
    }

    private CheckResult awaitDown(int threads) {
        CheckResult[] last = new CheckResult[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
            last[0] = check.check();
            return !last[0].isUp() && last[0].message().startsWith(threads + " threads");
        });
        assertThat(last[0].status()).isEqualTo(Status.DOWN);
        return last[0];
    }

    /** {@code n} threads in a ring, each holding its lock and waiting, interruptibly, for the next one's. */
    private static List<Thread> deadlockOnLocks(String prefix, int n) {
        List<ReentrantLock> locks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            locks.add(new ReentrantLock());
        }
        CountDownLatch allHoldOne = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReentrantLock mine = locks.get(i);
            ReentrantLock next = locks.get((i + 1) % n);
            threads.add(daemon(prefix + "-" + i, () -> {
                mine.lock();
                try {
                    allHoldOne.countDown();
                    awaitQuietly(allHoldOne);
                    next.lockInterruptibly();
                    next.unlock();
                } catch (InterruptedException e) {
                    // the test's way out
                } finally {
                    mine.unlock();
                }
            }));
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private static void free(List<Thread> threads) throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).as("%s freed", t.getName()).isFalse();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
