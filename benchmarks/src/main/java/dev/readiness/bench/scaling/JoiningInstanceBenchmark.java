package dev.readiness.bench.scaling;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.Haproxy;
import dev.readiness.testkit.process.ForkedJvm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A new instance joins a loaded pool behind a real HAProxy (agent-check on both servers): one warm instance serves
 * an open-loop load of {@code /work} requests, then a second, cold JVM starts and HAProxy adds it once its
 * {@code /readyz} and its agent say so. The figures are the latencies of the requests the new instance serves in its
 * first 10 s (from its first answer), measured from the moment each request was due (an open loop: a slow answer
 * does not delay the next request, so no stall is hidden). Run with the built-in warm-up and the agent's slow start,
 * and without them, in the same harness.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.readiness.bench.scaling.JoiningInstanceBenchmark
 * </pre>
 */
public final class JoiningInstanceBenchmark {

    /** One run's figures for the joining instance. */
    public record Result(boolean warm, long served, long failed, double p99Millis, double maxMillis,
                         double p50Millis, String readyLine) {
    }

    private JoiningInstanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (boolean warm : new boolean[] {false, true}) {
            System.out.println(run(warm, 150, Duration.ofSeconds(10)));
        }
    }

    private static ForkedJvm start(String name, int[] ports, Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("INSTANCE", name, "SERVER_PORT", Integer.toString(ports[0]),
                "READINESS_MANAGEMENT_PORT", Integer.toString(ports[1]),
                "READINESS_AGENT_PORT", Integer.toString(ports[2]), "READINESS_AGENT_HOST", "127.0.0.1"));
        env.putAll(extra);
        return ForkedJvm.start(name, ForkedJvm.currentClasspath(), JoinService.class.getName(), env,
                List.of("-Xmx128m", "-XX:+UseSerialGC"), false);
    }

    private static String server(String name, int[] p) {
        return ("  server %s 127.0.0.1:%d weight 100 check port %d inter 500ms fall 2 rise 1"
                + " agent-check agent-port %d agent-inter 200ms agent-send \"%s\\n\"\n").formatted(name, p[0], p[1], p[2], name);
    }

    /**
     * One run: {@code rate} requests per second through HAProxy; the joining instance warmed (built-in warm-up of
     * 1,000 requests to {@code /work} and a 10 s slow start) or not.
     */
    public static Result run(boolean warm, int rate, Duration window) throws Exception {
        Path dir = Files.createTempDirectory("joining");
        int frontend = FreePorts.next();
        int[] old = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
        int[] young = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
        String config = Haproxy.httpConfig(frontend, 2000,
                "  option httpchk GET /readyz\n" + server("old", old) + server("new", young));
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentLinkedQueue<long[]> byNew = new ConcurrentLinkedQueue<>(); // {due, latency}
        AtomicLong failed = new AtomicLong();
        AtomicLong firstNew = new AtomicLong(Long.MAX_VALUE);
        ForkedJvm oldJvm = null;
        ForkedJvm newJvm = null;
        try (Haproxy haproxy = Haproxy.start(dir, config)) {
            oldJvm = start("old", old, Map.of());
            oldJvm.await("READY", Duration.ofSeconds(60));
            awaitStatus(haproxy, "old", "UP", Duration.ofSeconds(20));
            URI uri = URI.create("http://127.0.0.1:" + frontend + "/work");
            long periodNanos = 1_000_000_000L / rate;
            long begin = System.nanoTime();
            ticks.scheduleAtFixedRate(new Runnable() {
                long n;

                @Override
                public void run() {
                    long due = begin + n++ * periodNanos;
                    client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        long end = System.nanoTime();
                        if (e != null || r.statusCode() != 200) {
                            failed.incrementAndGet();
                        } else if (r.body().startsWith("{\"served_by\":\"new\"")) {
                            firstNew.accumulateAndGet(end, Math::min);
                            byNew.add(new long[] {due, end - due});
                        }
                    });
                }
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            Thread.sleep(5_000); // the old instance warm under the load
            newJvm = start("new", young, warm
                    ? Map.of("READINESS_WARMUP_PATHS", "/work", "READINESS_WARMUP_REQUESTS", "1000",
                    "READINESS_AGENT_SLOW_START", "10s")
                    : Map.of());
            String ready = newJvm.await("(READY .*)", Duration.ofSeconds(90));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (firstNew.get() == Long.MAX_VALUE && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (firstNew.get() == Long.MAX_VALUE) {
                throw new IllegalStateException("the new instance served nothing within 30 s of " + ready
                        + "; HAProxy: " + haproxy.server("be", "new"));
            }
            long windowEnd = firstNew.get() + window.toNanos();
            while (System.nanoTime() < windowEnd + TimeUnit.SECONDS.toNanos(2)) {
                Thread.sleep(100);
            }
            ticks.shutdownNow();
            Thread.sleep(2_000); // the last answers in
            long from = firstNew.get();
            List<Long> lat = new ArrayList<>();
            for (long[] r : byNew) {
                if (r[0] + r[1] >= from && r[0] + r[1] <= windowEnd) {
                    lat.add(r[1]);
                }
            }
            lat.sort(null);
            return new Result(warm, lat.size(), failed.get(), pct(lat, 0.99), pct(lat, 1.0), pct(lat, 0.5), ready);
        } finally {
            ticks.shutdownNow();
            if (newJvm != null) {
                newJvm.close();
            }
            if (oldJvm != null) {
                oldJvm.close();
            }
        }
    }

    private static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    private static void awaitStatus(Haproxy haproxy, String server, String status, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!haproxy.server("be", server).get("status").startsWith(status)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(server + " not " + status + " in HAProxy: " + haproxy.server("be", server));
            }
            Thread.sleep(50);
        }
    }
}
