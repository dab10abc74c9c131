package dev.readiness.bench.outage;

import dev.readiness.testkit.FreePorts;
import dev.readiness.bench.startup.springsession.SpringSessionBootService;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import dev.readiness.testkit.http.WeightedProxy;
import dev.readiness.testkit.process.ForkedJvm;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * What users see when the Redis session store every replica shares dies and comes back. Per run: one real
 * redis-server; two replicas of one variant, each a JVM of its own; a {@link WeightedProxy} in front of them with
 * equal weights and HAProxy-style health checks of each replica's readiness endpoint ({@link #PROXY}); the
 * replicas' readiness endpoints also polled directly every {@link #POLL}; {@link #USERS} users
 * ({@link OutageUsers}) sending {@link #RATE} requests/s in total through the proxy, each giving up after
 * {@link #CLIENT_TIMEOUT}. Timeline: {@link #WARMUP} of load, then redis-server is SIGKILLed, kept down for
 * {@link #OUTAGE}, started again on the same port (empty: no persistence), and the load goes on for
 * {@link #AFTER}.
 */
final class SharedOutageBenchmark {

    static final int USERS = 8;
    static final int RATE = 40;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration WARMUP = Duration.ofSeconds(5);
    static final Duration OUTAGE = Duration.ofSeconds(10);
    static final Duration AFTER = Duration.ofSeconds(15);
    /**
     * {@code inter 1s fall 2 rise 1}, the check timing out after 1 s (HAProxy uses {@code inter} when
     * {@code timeout check} is not set); connect timeout 1 s, and 30 s for a backend's answer
     * ({@code timeout server 30s}), longer than the client's patience.
     */
    static final WeightedProxy.Settings PROXY = new WeightedProxy.Settings(Duration.ofSeconds(1), 1, 2,
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30));
    static final Duration POLL = Duration.ofMillis(100);
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    /** The three configurations compared; each runs as two replicas. */
    enum Variant {
        DEGRADED("readiness, sessions degraded (redis.required=false)", "/readyz"),
        REQUIRED("readiness, sessions required (redis.required=true)", "/readyz"),
        ANCHOR("Spring Boot Actuator + Spring Session Data Redis", "/actuator/health/readiness");

        final String label;
        final String readinessPath;

        Variant(String label, String readinessPath) {
            this.label = label;
            this.readinessPath = readinessPath;
        }
    }

    /** One replica: its ports and its process. */
    private record Replica(String name, int port, int managementPort, ForkedJvm jvm) implements AutoCloseable {
        @Override
        public void close() {
            jvm.close();
        }
    }

    /**
     * Everything one run recorded; times are {@link System#nanoTime()}.
     *
     * @param kill        when redis-server was SIGKILLed
     * @param back        when the restarted redis-server first answered PING
     * @param end         when the users stopped sending
     * @param polls       each replica's direct readiness polls
     * @param events      the proxy's rotation events, in seconds from the kill
     * @param errorLines  lines with " ERROR " in the replicas' output
     * @param errorSample the first of them, or empty
     */
    record Run(Variant variant, int repetition, long kill, long back, long end, List<OutageUsers.Request> requests,
               List<List<ReadinessPoller.Poll>> polls, List<String> events, long errorLines, String errorSample) {
    }

    private final Path sampleJar;
    private final String benchmarksClasspath;

    /**
     * @param sampleJar           {@code samples/spring-boot-service/target/spring-boot-service.jar}
     * @param benchmarksClasspath this module's class path, for the anchor
     */
    SharedOutageBenchmark(Path sampleJar, String benchmarksClasspath) {
        this.sampleJar = sampleJar.toAbsolutePath();
        this.benchmarksClasspath = Arrays.stream(benchmarksClasspath.split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString()).reduce((a, b) -> a + File.pathSeparator + b)
                .orElse("");
    }

    Run run(Variant variant, int repetition) throws Exception {
        RedisServer redis = RedisServer.start();
        int redisPort = redis.port();
        List<Replica> replicas = new ArrayList<>();
        try {
            // both replicas start at once, as a Deployment's pods do
            replicas.add(start(variant, "a", redisPort, repetition));
            replicas.add(start(variant, "b", redisPort, repetition));
            for (Replica r : replicas) {
                awaitReady(variant, r);
            }
            long proxyStart = System.nanoTime();
            try (WeightedProxy proxy = new WeightedProxy(PROXY)) {
                for (Replica r : replicas) {
                    proxy.add(r.name(), r.port(), 1, r.managementPort(), variant.readinessPath);
                }
                awaitInRotation(proxy);
                List<ReadinessPoller> pollers = new ArrayList<>();
                for (Replica r : replicas) {
                    pollers.add(new ReadinessPoller(r.name(), r.managementPort(), variant.readinessPath, POLL,
                            POLL_TIMEOUT));
                }
                OutageUsers users = new OutageUsers(proxy.port(), USERS, RATE, CLIENT_TIMEOUT);
                long t0 = System.nanoTime();
                users.start(t0);
                sleepUntil(t0 + WARMUP.toNanos());
                long kill = System.nanoTime();
                redis.kill();
                redis.close();
                sleepUntil(kill + OUTAGE.toNanos());
                redis = RedisServer.start(redisPort);
                long back = System.nanoTime();
                sleepUntil(back + AFTER.toNanos());
                long end = System.nanoTime();
                users.stop();
                users.awaitIdle();
                List<List<ReadinessPoller.Poll>> polls = new ArrayList<>();
                for (ReadinessPoller p : pollers) {
                    p.close();
                    polls.add(p.polls());
                }
                double killSeconds = (kill - proxyStart) / 1e9;
                List<String> events = proxy.events().stream().map(e -> relative(e, killSeconds)).toList();
                long errors = 0;
                String sample = "";
                for (Replica r : replicas) {
                    for (String line : r.jvm().lines()) {
                        if (line.contains(" ERROR ")) {
                            errors++;
                            if (sample.isEmpty()) {
                                sample = r.name() + ": " + line.substring(0, Math.min(300, line.length()));
                            }
                        }
                    }
                }
                return new Run(variant, repetition, kill, back, end, users.requests(), polls, events, errors,
                        sample);
            }
        } finally {
            replicas.forEach(Replica::close);
            redis.close();
        }
    }

    private Replica start(Variant variant, String name, int redisPort, int repetition) throws IOException {
        int port = FreePorts.next();
        int management = FreePorts.next();
        String jvmName = "outage-" + variant.name().toLowerCase(Locale.ROOT) + "-" + repetition + "-" + name;
        ForkedJvm jvm = switch (variant) {
            case DEGRADED, REQUIRED -> {
                Map<String, String> env = new HashMap<>();
                env.put("SERVER_PORT", Integer.toString(port));
                env.put("SERVER_ADDRESS", "127.0.0.1");
                env.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
                env.put("READINESS_MANAGEMENT_HOST", "127.0.0.1");
                env.put("READINESS_SESSIONS_REDIS_URI", "redis://127.0.0.1:" + redisPort);
                env.put("READINESS_SESSIONS_REDIS_REQUIRED", Boolean.toString(variant == Variant.REQUIRED));
                env.put("READINESS_SESSIONS_COOKIE_SECURE", "false");
                yield ForkedJvm.start(jvmName, sampleJar.toString(), JAR_LAUNCHER, env, List.of(), false);
            }
            case ANCHOR -> ForkedJvm.start(jvmName, benchmarksClasspath, SpringSessionBootService.class.getName(),
                    Map.of(), List.of(), false,
                    "--server.port=" + port,
                    "--server.address=127.0.0.1",
                    "--readiness.enabled=false", // Boot alone: readiness' auto-configuration is on this class path
                    "--spring.main.banner-mode=off",
                    "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redisPort,
                    "--management.server.port=" + management,
                    "--management.server.address=127.0.0.1",
                    "--management.endpoint.health.probes.enabled=true",
                    "--management.endpoint.health.group.readiness.include=readinessState,redis");
        };
        return new Replica(name, port, management, jvm);
    }

    private static void awaitReady(Variant variant, Replica r) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofMillis(500), false)) {
            while (System.nanoTime() - deadline < 0) {
                try {
                    if (client.get(r.managementPort(), variant.readinessPath, Duration.ofSeconds(2)).status() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!r.jvm().isAlive()) {
                    throw startFailed(variant, r, "exited with status " + r.jvm().awaitExit(Duration.ofSeconds(5)));
                }
                Thread.sleep(50);
            }
        }
        throw startFailed(variant, r, variant.readinessPath + " did not answer 200 within " + START_TIMEOUT);
    }

    private static IllegalStateException startFailed(Variant variant, Replica r, String what) {
        List<String> lines = r.jvm().lines();
        lines.forEach(l -> System.err.println("[" + r.jvm().name() + "] " + l));
        return new IllegalStateException(variant.label + " replica " + r.name() + " failed to start: " + what
                + "; last line: " + (lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1))
                + " (its output is on stderr above)");
    }

    private static void awaitInRotation(WeightedProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!proxy.backends().stream().allMatch(WeightedProxy.Backend::up)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the replicas did not enter the proxy's rotation within 30 s: "
                        + proxy.events());
            }
            Thread.sleep(20);
        }
    }

    private static void sleepUntil(long nanos) {
        for (long wait = nanos - System.nanoTime(); wait > 0; wait = nanos - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    /** A proxy event ("12.345s b down ...", seconds since the proxy started) with its time from the kill. */
    static String relative(String event, double killSeconds) {
        int s = event.indexOf("s ");
        try {
            double t = Double.parseDouble(event.substring(0, s)) - killSeconds;
            return String.format(Locale.ROOT, "%+.1f s %s", t, event.substring(s + 2));
        } catch (RuntimeException e) {
            return event;
        }
    }

    /**
     * The figures of one run.
     *
     * @param noSessionOk        % of no-session requests sent while Redis was down that were answered 2xx
     * @param sessionP99         p99 latency (ms) of session requests sent while Redis was down, timeouts included at
     *                           the client's timeout
     * @param sessionTimedOut    % of those the client gave up on
     * @param proxy503           % of all requests sent while Redis was down that the proxy answered 503 itself
     * @param firstSessionOk     s from Redis's return to the first 2xx answer on the session route
     * @param sessionServedAgain whether there was one before the run ended (else the figure is the whole window)
     * @param http500            500 answers received after Redis returned
     * @param bothReady          s from Redis's return until both replicas' readiness answered 200 for good (0 when
     *                           they never left)
     * @param readyAgain         whether both did before the run ended (else the figure is the whole window)
     */
    record Figures(double noSessionOk, double sessionP99, double sessionTimedOut, double proxy503,
                   double firstSessionOk, boolean sessionServedAgain, double http500, double bothReady,
                   boolean readyAgain) {

        static Figures of(Run run) {
            Predicate<OutageUsers.Request> down = r -> r.sent() >= run.kill() && r.sent() < run.back();
            List<OutageUsers.Request> outage = run.requests().stream().filter(down).toList();
            List<OutageUsers.Request> plain = outage.stream().filter(r -> !r.session()).toList();
            List<OutageUsers.Request> session = outage.stream().filter(OutageUsers.Request::session).toList();
            double noSessionOk = percent(plain.stream().filter(OutageUsers.Request::ok).count(), plain.size());
            double timedOut = percent(session.stream().filter(r -> r.status() == OutageUsers.TIMEOUT).count(),
                    session.size());
            double p99 = session.isEmpty() ? 0 : percentile(session.stream()
                    .mapToDouble(OutageUsers.Request::latencyMillis).sorted().toArray(), 0.99);
            double proxy503 = percent(outage.stream().filter(r -> r.status() == 503 && r.byProxy()).count(),
                    outage.size());
            double window = (run.end() - run.back()) / 1e9;
            long firstOk = run.requests().stream().filter(r -> r.session() && r.ok() && r.done() >= run.back())
                    .mapToLong(OutageUsers.Request::done).min().orElse(Long.MAX_VALUE);
            boolean served = firstOk != Long.MAX_VALUE;
            double firstSessionOk = served ? (firstOk - run.back()) / 1e9 : window;
            long http500 = run.requests().stream().filter(r -> r.status() == 500 && r.done() >= run.back()).count();
            double bothReady = 0;
            boolean readyAgain = true;
            for (List<ReadinessPoller.Poll> polls : run.polls()) {
                long ready = readyForGood(polls);
                if (ready == Long.MAX_VALUE) {
                    readyAgain = false;
                    bothReady = window;
                } else {
                    bothReady = Math.max(bothReady, Math.max(0, (ready - run.back()) / 1e9));
                }
            }
            return new Figures(noSessionOk, p99, timedOut, proxy503, firstSessionOk, served, http500, bothReady,
                    readyAgain);
        }
    }

    /**
     * When a replica's readiness answered 200 for good: the first 200 after its last poll that was not 200 (the
     * first poll when every poll was 200); {@link Long#MAX_VALUE} when the last poll was not 200.
     */
    static long readyForGood(List<ReadinessPoller.Poll> polls) {
        int lastDown = -1;
        for (int i = 0; i < polls.size(); i++) {
            if (!polls.get(i).ready()) {
                lastDown = i;
            }
        }
        if (lastDown == polls.size() - 1) {
            return Long.MAX_VALUE;
        }
        return polls.get(lastDown + 1).sent();
    }

    /** When readiness was not 200 in one replica's polls, in seconds from the kill: "not 200 from +1.2 s to +14.0 s". */
    static String readinessWindow(List<ReadinessPoller.Poll> polls, long kill) {
        long firstDown = Long.MAX_VALUE;
        for (ReadinessPoller.Poll p : polls) {
            if (!p.ready() && p.sent() >= kill) {
                firstDown = p.sent();
                break;
            }
        }
        if (firstDown == Long.MAX_VALUE) {
            return "200 throughout";
        }
        long ready = readyForGood(polls);
        return String.format(Locale.ROOT, "not 200 from %+.1f s to %s", (firstDown - kill) / 1e9,
                ready == Long.MAX_VALUE ? "the end" : String.format(Locale.ROOT, "%+.1f s", (ready - kill) / 1e9));
    }

    /** What a set of requests got: "2xx 40, 503 by the proxy 12, 503 by a replica 3, timed out 2". */
    static String breakdown(List<OutageUsers.Request> requests) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (OutageUsers.Request r : requests) {
            String k = r.ok() ? "2xx" : r.status() == OutageUsers.TIMEOUT ? "timed out"
                    : r.status() == OutageUsers.CONNECTION_ERROR ? "connection error"
                    : r.byProxy() ? r.status() + " by the proxy" : r.status() + " by a replica";
            counts.merge(k, 1L, Long::sum);
        }
        StringBuilder b = new StringBuilder().append(requests.size()).append(" requests");
        counts.forEach((k, n) -> b.append(b.indexOf(":") < 0 ? ": " : ", ").append(k).append(' ').append(n));
        return b.toString();
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    /** Nearest rank, as {@link dev.readiness.bench.report.Stats#percentile} does. */
    static double percentile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
