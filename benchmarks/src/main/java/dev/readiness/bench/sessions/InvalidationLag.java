package dev.readiness.bench.sessions;

import dev.readiness.bench.report.Stats;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How stale can a near-cached read be? Two stores on one real redis-server stand for two pods. Instance B changes
 * a session that instance A holds in its near cache; the moment B's save returns (when B's response could go to
 * the user, whose next request could land on A), A loads the session in a tight loop until it sees the change.
 * Reports how often A's first load was still the old copy and how long A served it, measured from B's return.
 * {@code --gap-us} waits that long before A's first load, as the user's next request would need at least a
 * network round trip to arrive. Bounded by {@code --changes}; loopback only. Usage:
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/readiness-benchmarks.jar dev.readiness.bench.sessions.InvalidationLag --changes=2000 --gap-us=0
 * </pre>
 */
public final class InvalidationLag {

    private InvalidationLag() {
    }

    public static void main(String[] argv) throws Exception {
        int changes = 2000;
        long gapNanos = 0;
        for (String a : argv) {
            if (a.startsWith("--changes=")) {
                changes = Integer.parseInt(a.substring("--changes=".length()));
            } else if (a.startsWith("--gap-us=")) {
                gapNanos = Long.parseLong(a.substring("--gap-us=".length())) * 1000;
            }
        }
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).cookieSecure(false).nearCache(true)
                    .build();
            try (RedisSessionStore a = RedisSessionStore.create(settings);
                 RedisSessionStore b = RedisSessionStore.create(settings)) {
                Result r = measure(a, b, changes, gapNanos);
                System.out.printf(Locale.ROOT, "near cache invalidation lag over %d changes made by another instance,"
                                + " first load %d µs after the other's save returned:%n"
                                + "  first load on this instance after the other's save returned: stale %d times (%.2f %%)%n"
                                + "  stale reads served in all: %d%n"
                                + "  time this instance still served the old copy, from the other's return: p50 %.1f µs,"
                                + " p99 %.1f µs, max %.1f µs (0 when the first load already saw the change)%n"
                                + "  loads answered from the near cache between changes: %d of %d%n",
                        changes, gapNanos / 1000, r.staleFirst, 100.0 * r.staleFirst / changes, r.staleReads, r.percentile(50),
                        r.percentile(99), r.percentile(100), r.hits, r.loads);
            }
        }
    }

    record Result(int staleFirst, long staleReads, long[] lagNanos, long hits, long loads) {
        /** Microseconds at percentile {@code p} (0 to 100). */
        double percentile(double p) {
            long[] sorted = lagNanos.clone();
            Arrays.sort(sorted);
            return Stats.percentile(sorted, p / 100) / 1e3;
        }
    }

    static Result measure(RedisSessionStore a, RedisSessionStore b, int changes, long gapNanos) {
        SessionIds ids = new SessionIds();
        String id = ids.next();
        b.save(new SessionWrite(id, null, 0, Duration.ofMinutes(30), Map.of("v", 0), Set.of()));
        // Warm both stores and let A's tracking be confirmed: loads until one is answered from the near cache.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!a.load(id).orElseThrow().cached()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the near cache never served a load: is client tracking refused?");
            }
        }
        long[] lag = new long[changes];
        int staleFirst = 0;
        long staleReads = 0;
        long hits = 0;
        long loads = 0;
        for (int i = 1; i <= changes; i++) {
            // A holds version i - 1, cached (it read it at the end of the previous step).
            StoredSession base = b.load(id).orElseThrow();
            b.save(new SessionWrite(id, base, base.creationTime(), base.maxInactive(), Map.of("v", i), Set.of()));
            long returned = System.nanoTime();
            while (System.nanoTime() - returned < gapNanos) {
                java.util.concurrent.locks.LockSupport.parkNanos(gapNanos / 4 + 1);
            }
            boolean first = true;
            while (true) {
                StoredSession s = a.load(id).orElseThrow();
                long now = System.nanoTime();
                loads++;
                if (s.cached()) {
                    hits++;
                }
                if (((Integer) s.attributes().get("v")) == i) {
                    lag[i - 1] = first ? 0 : now - returned;
                    break;
                }
                staleReads++;
                if (first) {
                    staleFirst++;
                }
                first = false;
                if (now - returned > Duration.ofSeconds(5).toNanos()) {
                    throw new IllegalStateException("change " + i + " not seen after 5 s");
                }
                Thread.onSpinWait();
            }
            a.load(id); // cache the new version again before the next change
        }
        return new Result(staleFirst, staleReads, lag, hits, loads);
    }
}
