package dev.readiness.sessions.redis;

import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

/**
 * Session traffic through the store's API from several threads, as a servlet container's request threads drive it:
 * each session holds a counter {@code n}, every request loads its session and saves {@code n + 1}. Each thread
 * remembers the last value a save acknowledged (returned SAVED) per session; a load that finds less counts the
 * acknowledged writes Redis no longer holds, and so does {@link #verify()}, which reads every session back. The readiness check is evaluated every
 * 100 ms beside the load, as the engine would.
 */
final class SessionLoad implements AutoCloseable {

    /** What a run measured. */
    record Figures(long requests, long failed, long acknowledged, int sessionsBehind, long writesLost,
                   double secondsToRecover, double checkDownSeconds, Map<String, Long> failures) {

        String line(String run) {
            return String.format(java.util.Locale.ROOT, "FAILOVER %-34s requests=%d failed=%d acknowledged=%d"
                            + " writes-lost=%d (in %d sessions) seconds-to-recover=%.2f check-down-seconds=%.2f"
                            + " failures=%s", run, requests, failed, acknowledged, writesLost, sessionsBehind,
                    secondsToRecover, checkDownSeconds, failures);
        }
    }

    private final RedisSessionStore store;
    private final DependencyCheck check;
    private final List<String> ids = new ArrayList<>();
    private final AtomicLongArray acked;
    private final AtomicLongArray lastFailureNanos;
    /** As lastFailureNanos, leaving out CLUSTERDOWN: the cluster refusing every slot while one is uncovered. */
    private final AtomicLongArray ownFailureNanos;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    /** Acknowledged writes a later load did not find, and the sessions they were in. */
    private final AtomicLong lost = new AtomicLong();
    private final Set<Integer> sessionsBehind = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> checkDown = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private volatile long downSince;
    private volatile long eventNanos;

    /** Creates {@code sessions} sessions, then starts {@code threadCount} threads over them. */
    SessionLoad(RedisSessionStore store, int threadCount, int sessions) {
        this.store = store;
        this.check = store.readinessCheck();
        SessionIds gen = new SessionIds();
        for (int i = 0; i < sessions; i++) {
            String id = gen.next();
            store.save(new SessionWrite(id, null, System.currentTimeMillis(), Duration.ofMinutes(10), Map.of("n", 0L),
                    Set.of()));
            ids.add(id);
        }
        acked = new AtomicLongArray(sessions);
        lastFailureNanos = new AtomicLongArray(sessions);
        ownFailureNanos = new AtomicLongArray(sessions);
        for (int t = 0; t < threadCount; t++) {
            int first = t;
            Thread th = new Thread(() -> run(first, threadCount), "session-load-" + t);
            th.setDaemon(true);
            threads.add(th);
        }
        Thread checker = new Thread(this::evaluateCheck, "session-load-check");
        checker.setDaemon(true);
        threads.add(checker);
        threads.forEach(Thread::start);
    }

    List<String> ids() {
        return List.copyOf(ids);
    }

    /** Marks the fault (a kill, a reshard): recovery is counted from now. */
    void event() {
        eventNanos = System.nanoTime();
    }

    /**
     * Waits until every session was saved after its last failure and nothing failed for {@code quiet}: the store
     * has recovered. Returns false if that did not happen within {@code timeout}.
     */
    boolean awaitQuiet(Duration quiet, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long last = lastFailure();
            long since = System.nanoTime() - Math.max(last, eventNanos);
            if (since >= quiet.toNanos() && (downSince == 0)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The sessions whose key satisfies {@code p}, e.g. those on one node's slots. */
    List<Integer> sessions(Predicate<String> p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (p.test(ids.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** Whether session {@code i} saw a failed request since the event. */
    boolean failedSinceEvent(int i) {
        return lastFailureNanos.get(i) != 0 && lastFailureNanos.get(i) - eventNanos > 0;
    }

    /**
     * Whether session {@code i} saw a failed request since the event other than CLUSTERDOWN (which Redis answers
     * for every slot while one is uncovered, under its default cluster-require-full-coverage yes).
     */
    boolean failedSinceEventOtherThanClusterDown(int i) {
        return ownFailureNanos.get(i) != 0 && ownFailureNanos.get(i) - eventNanos > 0;
    }

    /** Stops the threads, reads every session back and counts what was lost. */
    Figures verify() throws InterruptedException {
        close();
        for (int i = 0; i < ids.size(); i++) {
            Optional<StoredSession> s = store.load(ids.get(i));
            long stored = s.map(x -> ((Number) x.attributes().get("n")).longValue()).orElse(0L);
            if (stored < acked.get(i)) {
                sessionsBehind.add(i);
                lost.addAndGet(acked.get(i) - stored);
            }
        }
        long last = lastFailure();
        double recover = last == 0 || last - eventNanos < 0 ? 0 : (last - eventNanos) / 1e9;
        double down = 0;
        for (long[] d : checkDown) {
            down += (d[1] - d[0]) / 1e9;
        }
        return new Figures(requests.get(), failed.get(), acknowledged.get(), sessionsBehind.size(), lost.get(),
                recover, down,
                new java.util.TreeMap<>(failures));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
        if (downSince != 0) {
            checkDown.add(new long[] {downSince, System.nanoTime()});
            downSince = 0;
        }
    }

    private long lastFailure() {
        long last = 0;
        for (int i = 0; i < ids.size(); i++) {
            last = Math.max(last, lastFailureNanos.get(i));
        }
        return last;
    }

    /**
     * One request: load the session, check it holds at least the last value a save acknowledged (only this thread
     * writes it), save the next. A session that went back lost the acknowledged writes in between; the user's
     * next request goes on from what Redis holds, as a web application's would.
     */
    private void run(int first, int stride) {
        while (running.get()) {
            for (int i = first; i < ids.size() && running.get(); i += stride) {
                requests.incrementAndGet();
                try {
                    StoredSession base = store.load(ids.get(i)).orElse(null);
                    long stored = base == null ? 0 : ((Number) base.attributes().get("n")).longValue();
                    if (stored < acked.get(i)) {
                        lost.addAndGet(acked.get(i) - stored);
                        sessionsBehind.add(i);
                        acked.set(i, stored);
                    }
                    long next = stored + 1;
                    SaveResult r = base == null
                            // the whole session was lost: the request starts it again
                            ? store.save(new SessionWrite(ids.get(i), null, System.currentTimeMillis(),
                                    Duration.ofMinutes(10), Map.of("n", next), Set.of()))
                            : store.save(new SessionWrite(ids.get(i), base, base.creationTime(),
                                    Duration.ofMinutes(10), Map.of("n", next), Set.of()));
                    if (r.saved()) {
                        acked.set(i, next);
                        acknowledged.incrementAndGet();
                    }
                } catch (SessionStoreUnavailableException e) {
                    failed.incrementAndGet();
                    lastFailureNanos.set(i, System.nanoTime());
                    if (!kind(e).equals("clusterdown")) {
                        ownFailureNanos.set(i, System.nanoTime());
                    }
                    if (failures.merge(kind(e), 1L, Long::sum) == 1) {
                        System.out.println("FAILOVER first " + kind(e) + ": " + e.getMessage());
                    }
                    try {
                        Thread.sleep(2); // the user's next request, not a retry loop
                    } catch (InterruptedException x) {
                        return;
                    }
                }
            }
            try {
                Thread.sleep(2); // a bounded load on a shared 2-core machine: about 400 requests/s per thread
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String kind(SessionStoreUnavailableException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("CLUSTERDOWN")) {
            return "clusterdown";
        }
        if (m.contains("NOSCRIPT")) {
            return "noscript";
        }
        if (m.contains("failed at once")) {
            return "failed-at-once";
        }
        if (m.contains("did not answer")) {
            return "timeout";
        }
        if (m.contains("answered with an error")) {
            return "redis-error";
        }
        return "connection";
    }

    private void evaluateCheck() {
        while (running.get()) {
            try {
                boolean up;
                try {
                    up = check.check(Duration.ofMillis(500)).isUp();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    up = false; // the engine reports a check that throws as DOWN
                }
                long now = System.nanoTime();
                if (!up && downSince == 0) {
                    downSince = now;
                } else if (up && downSince != 0) {
                    checkDown.add(new long[] {downSince, now});
                    downSince = 0;
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
