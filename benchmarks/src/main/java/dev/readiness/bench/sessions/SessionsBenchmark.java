package dev.readiness.bench.sessions;

import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.TcpProxy;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Load driver for sessions. One redis-server, one TCP proxy in front of it, and for each variant the same
 * Spring Boot service (Tomcat) started in this JVM, once on Redis directly (throughput, commands) and once
 * through the proxy (round trips): (a) the container's in-memory sessions, (b) readiness
 * sessions, (c) Spring Session Data Redis. For the mutating endpoint ({@code /session/counter}), the
 * read-only one ({@code /session/read}) and one that never touches its session ({@code /session/untouched}, with
 * the session cookie sent) it reports:
 * <ul>
 *   <li>throughput: requests per second from {@code --threads} client threads over {@code --sessions}
 *       sessions for {@code --duration}, after {@code --warmup};</li>
 *   <li>Redis commands per request, from INFO commandstats (CONFIG RESETSTAT before the measured phase);</li>
 *   <li>sequential round trips per request: the proxy delays every Redis reply by {@code --delay}; the median
 *       latency of {@code --rt-requests} sequential requests with the delay minus without it, divided by the
 *       delay.</li>
 * </ul>
 * Bounded in time and count; traffic stays on loopback. Usage:
 * <pre>
 * mvn -B -q -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.readiness.bench.sessions.SessionsBenchmark \
 *     --duration=8s --warmup=4s --threads=16 --sessions=64 --delay-ms=40 --rt-requests=21 --rounds=2
 * </pre>
 */
public final class SessionsBenchmark {

    /** The endpoints measured: mutating, read-only, and one that does not touch its session. */
    static final List<String> ENDPOINTS = List.of("/session/counter", "/session/read", "/session/untouched");

    /** Mirror mode's and the in-place comparison's endpoints: a write, a read, and a read of a mutable value. */
    static final List<String> MIRROR_ENDPOINTS = List.of("/session/counter", "/session/read", "/session/cart");

    /** Readiness sessions in mirror mode (the old fleet during a cut-over). */
    static final String MIRROR = "readiness-mirror";

    /** Readiness sessions with {@code readiness.sessions.save-mode=set}: no comparison of values read. */
    static final String SAVE_SET = "readiness-save-set";

    /** Readiness sessions with the near cache on (off by default): unchanged sessions read with no round trip. */
    static final String NEAR_CACHE = "readiness-near-cache";

    /**
     * readiness sessions as the Spring Boot starter configures them (the session filter, the flash-map manager
     * behind its marker cookie); of the rest only what a benchmark of many contexts in one JVM cannot share is
     * changed: the management server on a free port, no drain, GC advice or ConfigMap watch.
     */
    private static final List<String> STARTER = List.of("readiness.enabled=true", "readiness.management.port=0",
            "readiness.management.host=127.0.0.1", "readiness.drain.enabled=false", "readiness.gc.enabled=false",
            "readiness.config.enabled=false", "readiness.sessions.cookie.secure=false",
            "readiness.sessions.redis.command-timeout=2s");

    private static final String EXCLUDE_REDIS = String.join(",",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration duration;
    private final Duration warmup;
    private final int threads;
    private final int sessions;
    private final Duration delay;
    private final int rtRequests;

    SessionsBenchmark(Map<String, String> args) {
        duration = Duration.parse("PT" + args.getOrDefault("duration", "8s").toUpperCase(Locale.ROOT));
        warmup = Duration.parse("PT" + args.getOrDefault("warmup", "4s").toUpperCase(Locale.ROOT));
        threads = Integer.parseInt(args.getOrDefault("threads", "16"));
        sessions = Integer.parseInt(args.getOrDefault("sessions", "64"));
        delay = Duration.ofMillis(Long.parseLong(args.getOrDefault("delay-ms", "40")));
        rtRequests = Integer.parseInt(args.getOrDefault("rt-requests", "20"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            args.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        List<String> variants = List.of(args.getOrDefault("variants", "in-memory,readiness,spring-session").split(","));
        List<String> endpoints = List.of(args.getOrDefault("endpoints", String.join(",", ENDPOINTS)).split(","));
        new SessionsBenchmark(args).run(variants, endpoints, Integer.parseInt(args.getOrDefault("rounds", "2")));
    }

    record Result(String variant, String endpoint, double rps, long requests, long errors,
                  double commandsPerRequest, double clientCommandsPerRequest, double roundTrips,
                  Map<String, Long> commandStats, double serverCpuMicros, double redisCpuMicros) {

        /** CPU per request in microseconds: the service's Tomcat and Lettuce threads plus redis-server. */
        double cpuMicros() {
            return serverCpuMicros + redisCpuMicros;
        }
    }

    /**
     * All variants run in one JVM, one after the other; the first round also warms the JIT for the shared code
     * (Tomcat, Spring MVC, the HTTP client), so every round but the last is warm-up and only the last is reported.
     */
    private void run(List<String> variants, List<String> endpoints, int rounds) throws Exception {
        List<List<Result>> measured = measure(variants, endpoints, rounds - 1, 1);
        print(measured.get(measured.size() - 1));
    }

    /**
     * Runs {@code warmupRounds} unreported rounds (throughput only, no round trips: they exist to compile the
     * code every variant shares, Tomcat, Spring MVC, the HTTP client, before anything is reported), then
     * {@code measuredRounds} rounds, and returns each measured round's results (one per variant and endpoint).
     * Each round starts with a different variant, so no variant is always the one measured first.
     */
    List<List<Result>> measure(List<String> variants, int warmupRounds, int measuredRounds) throws Exception {
        return measure(variants, ENDPOINTS, warmupRounds, measuredRounds);
    }

    /** As above, over {@code endpoints}. */
    List<List<Result>> measure(List<String> variants, List<String> endpoints, int warmupRounds, int measuredRounds)
            throws Exception {
        List<List<Result>> measured = new ArrayList<>();
        int rounds = warmupRounds + measuredRounds;
        try (RedisServer redis = RedisServer.start(); TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
            for (int round = 1; round <= rounds; round++) {
                boolean warmupRound = round <= warmupRounds;
                List<Result> results = new ArrayList<>();
                List<String> order = new ArrayList<>(variants);
                java.util.Collections.rotate(order, -(round - 1));
                for (String variant : order) {
                    Map<String, Result> byEndpoint = new LinkedHashMap<>();
                    // Throughput and commands straight against Redis, as in production.
                    try (ConfigurableApplicationContext ctx = start(variant, redis.port())) {
                        String base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
                        for (String endpoint : endpoints) {
                            byEndpoint.put(endpoint, warmupRound ? warmUp(variant, base, endpoint)
                                    : measure(variant, base, endpoint, redis));
                        }
                    }
                    if (warmupRound) {
                        results.addAll(byEndpoint.values());
                        redis.command("FLUSHALL");
                        continue;
                    }
                    // Round trips through the delaying proxy, in a second instance of the same service.
                    try (ConfigurableApplicationContext ctx = start(variant, proxy.port())) {
                        String base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
                        String cookie = newSession(base);
                        for (String endpoint : endpoints) {
                            Result r = byEndpoint.get(endpoint);
                            results.add(new Result(r.variant(), r.endpoint(), r.rps(), r.requests(), r.errors(),
                                    r.commandsPerRequest(), r.clientCommandsPerRequest(),
                                    roundTrips(base + endpoint, cookie, proxy), r.commandStats(), r.serverCpuMicros(),
                                    r.redisCpuMicros()));
                        }
                    }
                    redis.command("FLUSHALL");
                }
                if (!warmupRound) {
                    measured.add(results);
                }
                System.out.printf(Locale.ROOT, "round %d of %d done%s: %s%n", round, rounds,
                                warmupRound ? " (warm-up, not reported)" : "", results.stream().map(r -> r.variant() + " "
                                + r.endpoint() + " " + Math.round(r.rps()) + " req/s " + Math.round(r.cpuMicros())
                                + " us CPU/req").collect(Collectors.joining(", ")));
            }
        }
        return measured;
    }

    private ConfigurableApplicationContext start(String variant, int redisPort) {
        List<Class<?>> sources = new ArrayList<>(List.of(SessionBenchApp.class));
        List<String> props = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "logging.level.root=WARN", "spring.main.banner-mode=off", "management.endpoints.access.default=none",
                "readiness.sessions.redis.uri=redis://127.0.0.1:" + redisPort,
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort));
        props.add("spring.autoconfigure.exclude=" + EXCLUDE_REDIS);
        switch (variant) {
            case "in-memory" -> props.add("readiness.enabled=false");
            case "readiness" -> props.addAll(STARTER);
            case NEAR_CACHE -> {
                props.addAll(STARTER);
                props.add("readiness.sessions.redis.near-cache.enabled=true");
            }
            case MIRROR -> {
                props.addAll(STARTER);
                props.add("readiness.sessions.mode=mirror");
            }
            case SAVE_SET -> {
                props.addAll(STARTER);
                props.add("readiness.sessions.save-mode=set");
            }
            case "spring-session" -> {
                props.add("readiness.enabled=false");
                sources.add(SpringSessionConfig.class);
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + ": use in-memory, readiness, " + NEAR_CACHE + ", " + MIRROR + ", " + SAVE_SET + ", spring-session");
        }
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).properties(props.toArray(String[]::new))
                .run();
    }

    private String newSession(String base) throws IOException, InterruptedException {
        HttpResponse<String> r = get(base + "/session/counter", null);
        return r.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .collect(Collectors.joining("; "));
    }

    /**
     * Warm-up round: load in one-second slices until the JIT is quiet (compilation time grew by less than 50 ms
     * in the last slice) or {@value #MAX_WARMUP_SLICES} slices passed. A fixed warm-up is not enough on a busy
     * 2-CPU machine: the compilers were still at work well into the first measured round, and whichever
     * variant ran then looked two to three times more expensive than in the next round. On a machine this busy the
     * JIT is seldom quiet: the cap ends most warm-ups.
     */
    private Result warmUp(String variant, String base, String endpoint) throws Exception {
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            cookies.add(newSession(base));
        }
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long[] counts = {0, 0};
        int slices = 0;
        for (long jit0 = jit.getTotalCompilationTime(); slices < MAX_WARMUP_SLICES; slices++) {
            counts = load(base + endpoint, cookies, Duration.ofSeconds(1));
            long jit1 = jit.getTotalCompilationTime();
            if (slices >= 1 && jit1 - jit0 < 50) {
                slices++;
                break;
            }
            jit0 = jit1;
        }
        System.out.printf(Locale.ROOT, "warm-up %s %s: %d s until the JIT was quiet%n", variant, endpoint, slices);
        return new Result(variant, endpoint, counts[0], counts[0], counts[1], Double.NaN, Double.NaN, Double.NaN,
                Map.of(), Double.NaN, Double.NaN);
    }

    private static final int MAX_WARMUP_SLICES = 6;

    private Result measure(String variant, String base, String endpoint, RedisServer redis) throws Exception {
        // One session per simulated user, created by the mutating endpoint.
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            cookies.add(newSession(base));
        }
        load(base + endpoint, cookies, warmup); // this service instance's own first requests
        redis.command("CONFIG", "RESETSTAT");
        Map<Long, Long> server0 = serverThreadCpuNanos();
        long redis0 = processCpuNanos(redis.pid());
        long[] counts = load(base + endpoint, cookies, duration);
        Map<Long, Long> server1 = serverThreadCpuNanos();
        long serverNanos = 0;
        for (Map.Entry<Long, Long> e : server1.entrySet()) {
            serverNanos += e.getValue() - server0.getOrDefault(e.getKey(), 0L);
        }
        double serverCpu = serverNanos / 1e3 / counts[0];
        double redisCpu = (processCpuNanos(redis.pid()) - redis0) / 1e3 / counts[0];
        Map<String, Long> stats = commandStats(redis);
        long total = stats.values().stream().mapToLong(Long::longValue).sum();
        long client = variant.startsWith("readiness")
                // our scripts' inner commands (the load script's HGETALL too) are counted by Redis under their own
                // names; the client sent only scripts:
                ? stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L)
                : total;
        double rps = counts[0] / (duration.toNanos() / 1e9);
        return new Result(variant, endpoint, rps, counts[0], counts[1], (double) total / counts[0],
                (double) client / counts[0], Double.NaN, stats, serverCpu, redisCpu);
    }

    /**
     * CPU time per thread of the service under test: Tomcat's threads and Lettuce's (event loop, timers), by thread
     * id. The load driver's threads and the JVM's own (JIT compilers, GC), which would swamp the difference between
     * variants while the JIT is still busy, are left out. CPU per request depends much less on what else runs on
     * the machine than requests per second do.
     */
    private static Map<Long, Long> serverThreadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("http-nio") || t.getThreadName().startsWith("lettuce"))) {
                long nanos = threads.getThreadCpuTime(t.getThreadId());
                if (nanos >= 0) {
                    cpu.put(t.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    /** utime + stime of a process from /proc/<pid>/stat (Linux; 0 elsewhere), in nanoseconds. */
    static long processCpuNanos(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            // the command name in parentheses may hold blanks: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** USER_HZ; 100 on every Linux this runs on, asked of getconf where it is available. */
    private static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            long t = Long.parseLong(out);
            return t > 0 ? t : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** {requests, errors} completed by {@code threads} threads cycling over the sessions for {@code time}. */
    private long[] load(String url, List<String> cookies, Duration time) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + time.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    int i = thread;
                    while (System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = get(url, cookies.get(i % cookies.size()));
                            (r.statusCode() == 200 ? ok : errors).incrementAndGet();
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        i += threads;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new long[] {ok.get(), errors.get()};
    }

    private double roundTrips(String url, String cookie, TcpProxy proxy) throws Exception {
        double base = medianLatencyMillis(url, cookie);
        proxy.delayReplies(delay);
        try {
            double delayed = medianLatencyMillis(url, cookie);
            return (delayed - base) / delay.toMillis();
        } finally {
            proxy.delayReplies(Duration.ZERO);
        }
    }

    /** Median rather than mean: on a shared machine a few requests stall for reasons that have nothing to do with Redis. */
    private double medianLatencyMillis(String url, String cookie) throws Exception {
        for (int i = 0; i < 5; i++) {
            get(url, cookie);
        }
        long[] nanos = new long[rtRequests];
        for (int i = 0; i < rtRequests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(url, cookie);
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
        }
        java.util.Arrays.sort(nanos);
        return nanos[rtRequests / 2] / 1e6;
    }

    private HttpResponse<String> get(String url, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null && !cookie.isEmpty()) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Long> commandStats(RedisServer redis) throws IOException {
        return redis.commandStats();
    }

    private void print(List<Result> results) {
        System.out.printf(Locale.ROOT, "%nsessions benchmark: %d client threads, %d sessions, %ss measured after %ss warm-up,"
                        + " round trips with %dms reply delay over %d sequential requests, %d CPUs%n",
                threads, sessions, duration.toSeconds(), warmup.toSeconds(), delay.toMillis(), rtRequests,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-15s %-17s %10s %8s %14s %14s %12s %16s  %s%n", "variant", "endpoint", "req/s",
                "errors", "redis cmd/req", "client cmd/req", "round trips", "CPU us/req j+r", "INFO commandstats calls");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-15s %-17s %10.0f %8d %14.2f %14.2f %12.2f %7.0f + %6.0f  %s%n", r.variant(),
                    r.endpoint(), r.rps(), r.errors(), r.commandsPerRequest(), r.clientCommandsPerRequest(), r.roundTrips(),
                    r.serverCpuMicros(), r.redisCpuMicros(), r.commandStats());
        }
        for (String endpoint : ENDPOINTS) {
            double ours = rps(results, "readiness", endpoint);
            double spring = rps(results, "spring-session", endpoint);
            double memory = rps(results, "in-memory", endpoint);
            if (ours > 0 && spring > 0 && memory > 0) {
                System.out.printf(Locale.ROOT, "%s: readiness = %.2fx Spring Session, %.2fx in-memory%n", endpoint,
                        ours / spring, ours / memory);
            }
        }
    }

    private static double rps(List<Result> results, String variant, String endpoint) {
        return results.stream().filter(r -> r.variant().equals(variant) && r.endpoint().equals(endpoint))
                .mapToDouble(Result::rps).findFirst().orElse(0);
    }

    /** An endpoint as the report's rows name it. */
    static String describe(String endpoint) {
        return switch (endpoint) {
            case "/session/counter" -> "GET /session/counter (writes)";
            case "/session/untouched" -> "GET /session/untouched (a session cookie, the session not touched)";
            case "/session/cart" -> "GET /session/cart (reads a ten-item list)";
            default -> "GET " + endpoint;
        };
    }
}
