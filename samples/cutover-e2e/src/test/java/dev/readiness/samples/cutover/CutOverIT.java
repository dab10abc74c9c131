package dev.readiness.samples.cutover;

import dev.readiness.samples.e2e.SampleProcess;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.CutOverUsers;
import dev.readiness.testkit.http.WeightedProxy;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration off sticky sessions as users run it: the old fleet (the Spring Boot sample on Tomcat and the
 * servlet sample on Jetty) in {@code READINESS_SESSIONS_MODE=mirror}, the new fleet (two Spring Boot instances) in
 * {@code redis} mode, all on one real redis-server, all behind a {@link WeightedProxy} that balances every request
 * by weight without affinity and health-checks {@code /readyz} on each management port, as HAProxy with
 * {@code balance roundrobin} and {@code option httpchk} does. Weight moves to the new fleet in the steps an
 * operator takes (1, 5, 25, 50, 100 %), then the old instances get a real SIGTERM, while {@link CutOverUsers} stay
 * logged in: nothing they did may be lost, go back in time, or outlive a logout.
 * <p>
 * Run it alone, with both samples packaged from this tree:
 * {@code mvn -o -pl samples/cutover-e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=CutOverIT -Dfailsafe.failIfNoSpecifiedTests=false}. Each test prints its totals in one line starting
 * with {@code CutOverIT}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CutOverIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STEP = Duration.ofSeconds(4);

    private final List<SampleProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (SampleProcess p : processes) {
            p.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static Path jar(String property) {
        String jar = System.getProperty(property);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(property + "=" + jar + " is not a file: run with mvn -pl"
                    + " samples/cutover-e2e -am verify, which packages both samples first");
        }
        return Path.of(jar);
    }

    private SampleProcess start(String property, String mode, RedisServer redis) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("READINESS_SESSIONS_REDIS_URI", redis.uri());
        env.put("READINESS_SESSIONS_MODE", mode);
        env.put("READINESS_DRAIN_PROPAGATION_DELAY", "2s");
        env.put("READINESS_DRAIN_TIMEOUT", "10s");
        SampleProcess p = SampleProcess.start(jar(property), env);
        processes.add(p);
        return p;
    }

    private WeightedProxy proxy() throws Exception {
        WeightedProxy proxy = new WeightedProxy(new WeightedProxy.Settings(Duration.ofMillis(500), 2, 2,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(15)));
        closing.add(proxy);
        return proxy;
    }

    /** Waits until the proxy's checks put every backend in rotation; fails with the log of one that exits. */
    private static void awaitInRotation(WeightedProxy proxy, Map<String, SampleProcess> fleet) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (Map.Entry<String, SampleProcess> e : fleet.entrySet()) {
            WeightedProxy.Backend b = proxy.backend(e.getKey());
            while (!b.up()) {
                if (!e.getValue().isAlive()) {
                    throw new AssertionError(e.getKey() + " exited before it was ready; log:\n" + e.getValue().log());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(e.getKey() + " not ready within " + START_TIMEOUT + "; log:\n"
                            + e.getValue().log());
                }
                Thread.sleep(100);
            }
        }
    }

    /** Whether the proxy's checks have every backend of {@code fleet} in rotation within {@code timeout}. */
    private static boolean inRotationWithin(WeightedProxy proxy, Map<String, SampleProcess> fleet, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!fleet.keySet().stream().allMatch(name -> proxy.backend(name).up())) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * Holds the current weights for {@code d}: the scenario's pacing, not a wait for a condition. Fails at once when
     * an instance that should serve exits.
     */
    private static void hold(Duration d, Map<String, SampleProcess> serving) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            serving.forEach((name, p) -> {
                if (!p.isAlive()) {
                    throw new AssertionError(name + " exited while serving; log:\n" + p.log());
                }
            });
            Thread.sleep(100);
        }
    }

    private static String backends(WeightedProxy proxy) {
        return proxy.backends().stream().map(WeightedProxy.Backend::toString).sorted().toList().toString();
    }

    @Test
    void shiftingWeightFromMirrorToRedisInstancesWithoutAffinityLosesNoSessionState() throws Exception {
        long t0 = System.nanoTime();
        RedisServer redis = RedisServer.start();
        closing.add(redis);
        WeightedProxy proxy = proxy();
        Map<String, SampleProcess> old = new LinkedHashMap<>();
        old.put("old-boot", start("boot.sample.jar", "mirror", redis));
        old.put("old-jetty", start("servlet.sample.jar", "mirror", redis));
        Map<String, SampleProcess> fresh = new LinkedHashMap<>();
        fresh.put("new-boot-1", start("boot.sample.jar", "redis", redis));
        fresh.put("new-boot-2", start("boot.sample.jar", "redis", redis));
        old.forEach((name, p) -> proxy.add(name, p.port(), 100, p.managementPort(), "/readyz"));
        fresh.forEach((name, p) -> proxy.add(name, p.port(), 0, p.managementPort(), "/readyz"));
        Map<String, SampleProcess> all = new LinkedHashMap<>(old);
        all.putAll(fresh);
        awaitInRotation(proxy, all);
        long started = System.nanoTime();

        // 12 users, one more each second, 4 steps a second each: a counter, every third step a list add, every
        // eighth a racing pair, a logout now and then.
        CutOverUsers users = new CutOverUsers(proxy.port(), new CutOverUsers.Settings(12, 4, Duration.ofSeconds(1),
                3, 60, 8, Duration.ofSeconds(75), 20_000, Duration.ofSeconds(15), 20261206));
        closing.add(users);
        users.start();
        hold(Duration.ofSeconds(6), all); // logged in on the old fleet only, sessions mirrored to Redis
        for (int percent : new int[] {1, 5, 25, 50, 100}) {
            for (String name : fresh.keySet()) {
                proxy.weight(name, percent);
            }
            for (String name : old.keySet()) {
                proxy.weight(name, 100 - percent);
            }
            hold(STEP, all);
        }
        // Drained by weight; now each old instance is shut down as Kubernetes does it.
        Map<String, Integer> exits = new LinkedHashMap<>();
        old.values().forEach(SampleProcess::sigterm);
        for (Map.Entry<String, SampleProcess> e : old.entrySet()) {
            exits.put(e.getKey(), e.getValue().awaitExit(Duration.ofSeconds(40)));
        }
        hold(Duration.ofSeconds(3), fresh);
        CutOverUsers.Totals totals = users.stopAndAwait(Duration.ofSeconds(30));
        long ended = System.nanoTime();

        System.out.printf("CutOverIT cut-over: %s exits=%s load=%.1fs total=%.1fs backends=%s%n", totals.summary(),
                exits, (ended - started) / 1e9, (ended - t0) / 1e9, backends(proxy));
        String detail = totals + "\nproxy: " + backends(proxy) + "\nevents: " + proxy.events();
        SoftAssertions.assertSoftly(s -> {
            s.assertThat(totals.requests()).as("requests sent").isGreaterThan(1_000);
            s.assertThat(totals.failed()).as("failed requests; %s", detail).isZero();
            s.assertThat(totals.stale()).as("stale answers; %s", detail).isZero();
            s.assertThat(totals.lostItems()).as("lost list items; %s", detail).isZero();
            s.assertThat(totals.resurrected()).as("resurrected sessions; %s", detail).isZero();
            s.assertThat(totals.racingPairs()).as("racing pairs sent").isPositive();
            s.assertThat(totals.racingLost()).as("racing changes lost; %s", detail).isZero();
            s.assertThat(exits).as("exit status after SIGTERM").containsOnly(Map.entry("old-boot", 0),
                    Map.entry("old-jetty", 0));
            for (String name : all.keySet()) {
                s.assertThat(proxy.backend(name).requests()).as("requests served by %s", name).isPositive();
            }
        });
    }

    @Test
    void mirrorInstancesKeepServingTheirUsersThroughARedisOutageAndMirrorAgainAfterIt() throws Exception {
        long t0 = System.nanoTime();
        RedisServer redis = RedisServer.start();
        closing.add(redis);
        WeightedProxy proxy = proxy();
        Map<String, SampleProcess> mirror = new LinkedHashMap<>();
        mirror.put("old-boot", start("boot.sample.jar", "mirror", redis));
        mirror.put("old-jetty", start("servlet.sample.jar", "mirror", redis));
        mirror.forEach((name, p) -> proxy.add(name, p.port(), 50, p.managementPort(), "/readyz"));
        // The old fleet's own balancer, as it served before the migration: sticky (cookie SRV insert indirect
        // nocache). Without Redis and without affinity no two instances can agree on a session; with it, each
        // user's instance holds the user's newest copy.
        proxy.affinity("SRV");
        awaitInRotation(proxy, mirror);
        long started = System.nanoTime();

        CutOverUsers users = new CutOverUsers(proxy.port(), new CutOverUsers.Settings(8, 4, Duration.ofMillis(250),
                3, 60, 8, Duration.ofSeconds(60), 20_000, Duration.ofSeconds(15), 7));
        closing.add(users);
        users.start();
        hold(Duration.ofSeconds(6), mirror);
        CutOverUsers.Totals before = users.totals();
        redis.kill(); // a crash: connections reset, then refused
        hold(Duration.ofSeconds(8), mirror);
        CutOverUsers.Totals during = users.totals();
        RedisServer back = RedisServer.start(redis.port()); // restarted empty, as a Redis without persistence is
        closing.add(back);
        long backAt = System.nanoTime();
        boolean inRotation = inRotationWithin(proxy, mirror, Duration.ofSeconds(30));
        Duration toRotation = Duration.ofNanos(System.nanoTime() - backAt);
        hold(Duration.ofSeconds(5), mirror);
        CutOverUsers.Totals totals = users.stopAndAwait(Duration.ofSeconds(30));
        String keys = back.command("KEYS", "readiness:session:*");
        long mirroredAgain = keys.lines().filter(l -> l.startsWith("readiness:session:")).count();
        long ended = System.nanoTime();

        System.out.printf("CutOverIT redis-outage: %s failed-before-outage=%d failed-during=%d"
                        + " back-in-rotation=%s after %dms mirrored-sessions-after=%d load=%.1fs total=%.1fs"
                        + " backends=%s%n", totals.summary(), before.failed(), during.failed() - before.failed(),
                inRotation, toRotation.toMillis(), mirroredAgain, (ended - started) / 1e9, (ended - t0) / 1e9,
                backends(proxy));
        String detail = totals + "\nproxy: " + backends(proxy) + "\nevents: " + proxy.events();
        SoftAssertions.assertSoftly(s -> {
            s.assertThat(during.requests() - before.requests()).as("requests during the outage").isGreaterThan(100);
            s.assertThat(totals.failed()).as("failed requests; %s", detail).isZero();
            s.assertThat(totals.stale()).as("stale answers (counters that did not continue); %s", detail).isZero();
            s.assertThat(totals.lostItems()).as("lost list items; %s", detail).isZero();
            s.assertThat(totals.resurrected()).as("resurrected sessions; %s", detail).isZero();
            s.assertThat(totals.racingLost()).as("racing changes lost; %s", detail).isZero();
            s.assertThat(inRotation).as("both instances in rotation again within 30 s of Redis' return").isTrue();
            s.assertThat(mirroredAgain).as("sessions mirrored to the Redis that came back; KEYS: %s", keys)
                    .isGreaterThanOrEqualTo(8);
            for (String name : mirror.keySet()) {
                s.assertThat(proxy.backend(name).requests()).as("requests served by %s", name).isPositive();
            }
        });
        assertThat(mirror.values()).allMatch(SampleProcess::isAlive);
    }
}
