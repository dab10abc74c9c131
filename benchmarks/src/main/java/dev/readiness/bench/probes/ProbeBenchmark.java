package dev.readiness.bench.probes;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.process.ForkedJvm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Probe latency and throughput on loopback while Redis hangs, readiness against Spring Boot Actuator, in one
 * run on one machine. Not a test: run it and read the table.
 * <ol>
 *   <li>Starts one real redis-server and, each in a JVM of its own ({@link ProbeServer}), a readiness management
 *       server with a {@link RedisPingCheck} in readiness (default options: every 5 s, 2 s timeout) and a
 *       Spring Boot 4.1 application with Boot's Redis health indicator in its readiness group, both on the same
 *       Redis.</li>
 *   <li>Healthy: warms both up, then measures readiness probes.</li>
 *   <li>Hangs Redis with SIGSTOP, waits until our /readyz says 503, then measures readiness and liveness
 *       probes of both with a per-request timeout of 1 s, the kubelet's default.</li>
 * </ol>
 * Each probe is measured three ways: {@code clients} threads sending back to back (saturation: throughput, and
 * latency that includes queueing behind the other clients), one client back to back, and open loop at
 * {@code rate} probes per second (latency of a probe that does not queue behind others, measured from its
 * scheduled send time).
 * Settings (system properties): {@code clients} (8), {@code seconds} per measurement (5), {@code warmup}
 * seconds (3), {@code timeoutMs} (1000), {@code rate} (100).
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.readiness.bench.probes.ProbeBenchmark
 * </pre>
 */
public final class ProbeBenchmark {

    private ProbeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        measure(Integer.getInteger("clients", 8), Duration.ofSeconds(Integer.getInteger("seconds", 5)),
                Duration.ofSeconds(Integer.getInteger("warmup", 3)),
                Duration.ofMillis(Integer.getInteger("timeoutMs", 1000)), Integer.getInteger("rate", RATE));
        System.exit(0); // Lettuce and Tomcat leave non-daemon threads behind
    }

    /** Paced probes per second of the open-loop rows: 50 times what a kubelet sends to one pod at a 1 s period. */
    static final int RATE = 100;

    /** The row of the floor server ({@link ProbeServer} {@code floor}): what the machine and the driver cost. */
    static final String FLOOR = "floor: fixed bytes, one NIO thread";

    /** The row name of an open-loop measurement at {@code rate} probes per second. */
    static String paced(String name, int rate) {
        return name + ", " + rate + "/s paced";
    }

    /** Runs the measurements of the class comment, prints the table and returns its rows. */
    static List<LoadDriver.Result> measure(int clients, Duration measure, Duration warmup, Duration timeout, int rate)
            throws Exception {
        List<LoadDriver.Result> results = new ArrayList<>();
        RedisServer redis = RedisServer.start();
        ForkedJvm ours = null;
        ForkedJvm boot = null;
        ForkedJvm floor = null;
        try {
            // all three start at once; each is awaited in turn
            ours = ProbeServer.fork("readiness", redis.port());
            boot = ProbeServer.fork("boot", redis.port());
            floor = ProbeServer.fork("floor", redis.port());
            int floorPort = ProbeServer.port(floor, Duration.ofSeconds(60));
            int ourPort = ProbeServer.port(ours, Duration.ofSeconds(60));
            int bootPort = ProbeServer.port(boot, Duration.ofSeconds(120));

            URI ourReady = URI.create("http://127.0.0.1:" + ourPort + "/readyz");
            URI ourLive = URI.create("http://127.0.0.1:" + ourPort + "/livez");
            URI bootReady = URI.create("http://127.0.0.1:" + bootPort + "/actuator/health/readiness");
            URI bootLive = URI.create("http://127.0.0.1:" + bootPort + "/actuator/health/liveness");
            awaitStatus(ourReady, 200, Duration.ofSeconds(30));
            awaitStatus(bootReady, 200, Duration.ofSeconds(30));

            System.out.printf("probe benchmark: %d clients, %d s per measurement, %d ms request timeout, %d cores,"
                            + " load average %s%n", clients, measure.toSeconds(), timeout.toMillis(),
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            LoadDriver.run("warmup", ourReady, clients, warmup, timeout);
            LoadDriver.run("warmup", bootReady, clients, warmup, timeout);
            results.add(LoadDriver.run("healthy: readiness /readyz", ourReady, clients, measure, timeout));
            results.add(LoadDriver.run("healthy: readiness /readyz, 1 client", ourReady, 1, measure, timeout));
            results.add(LoadDriver.paced(paced("healthy: readiness /readyz", rate), ourReady, rate, measure, timeout));
            results.add(LoadDriver.run("healthy: Boot readiness", bootReady, clients, measure, timeout));
            results.add(LoadDriver.run("healthy: Boot readiness, 1 client", bootReady, 1, measure, timeout));
            results.add(LoadDriver.paced(paced("healthy: Boot readiness", rate), bootReady, rate, measure, timeout));

            redis.pause();
            long hungAt = System.nanoTime();
            awaitStatus(ourReady, 503, Duration.ofSeconds(30));
            System.out.printf("redis hung (SIGSTOP); readiness /readyz answered 503 after %d ms"
                            + " (bound: interval x failureThreshold + timeout = %d ms)%n",
                    (System.nanoTime() - hungAt) / 1_000_000, CheckOptions.defaults().worstCaseDetection().toMillis());
            results.add(LoadDriver.run("hung: readiness /readyz", ourReady, clients, measure, timeout));
            results.add(LoadDriver.run("hung: readiness /readyz, 1 client", ourReady, 1, measure, timeout));
            results.add(LoadDriver.paced(paced("hung: readiness /readyz", rate), ourReady, rate, measure, timeout));
            results.add(LoadDriver.run("hung: readiness /livez", ourLive, clients, measure, timeout));
            results.add(LoadDriver.run("hung: readiness /livez, 1 client", ourLive, 1, measure, timeout));
            results.add(LoadDriver.paced(paced("hung: readiness /livez", rate), ourLive, rate, measure, timeout));
            URI floorUri = URI.create("http://127.0.0.1:" + floorPort + "/readyz");
            LoadDriver.run("warmup", floorUri, 1, warmup, timeout);
            results.add(LoadDriver.paced(paced(FLOOR, rate), floorUri, rate, measure, timeout));
            results.add(LoadDriver.run("hung: Boot readiness", bootReady, clients, measure, timeout));
            results.add(LoadDriver.run("hung: Boot readiness, 1 client", bootReady, 1, measure, timeout));
            results.add(LoadDriver.run("hung: Boot liveness", bootLive, clients, measure, timeout));
            results.add(LoadDriver.run("hung: Boot liveness, 1 client", bootLive, 1, measure, timeout));
            results.add(LoadDriver.paced(paced("hung: Boot liveness", rate), bootLive, rate, measure, timeout));
            // last: every paced request parks one of Tomcat's threads for Lettuce's 60 s command timeout
            results.add(LoadDriver.paced(paced("hung: Boot readiness", rate), bootReady, rate, measure, timeout));
            int bootStatus = status(bootReady, Duration.ofSeconds(2));
            System.out.println("Boot readiness status after " + (System.nanoTime() - hungAt) / 1_000_000_000
                    + " s of hang: " + (bootStatus < 0 ? "no answer within 2 s" : bootStatus));

            System.out.println();
            System.out.println(LoadDriver.HEADER);
            results.forEach(r -> System.out.println(r.row()));
            System.out.println("(t/o: requests cut off by the client at " + timeout.toMillis()
                    + " ms; a latency shown as >= includes them at the cut-off)");
            System.out.println("Boot readiness is /actuator/health/readiness, Boot liveness /actuator/health/liveness;"
                    + " load average at the end: " + loadAverage());
        } finally {
            redis.resume();
            if (boot != null) {
                boot.close();
            }
            if (floor != null) {
                floor.close();
            }
            if (ours != null) {
                ours.close();
            }
            redis.close();
        }
        return results;
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static final HttpClient PROBE = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static int status(URI uri, Duration timeout) {
        try {
            return PROBE.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitStatus(URI uri, int expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (status(uri, Duration.ofSeconds(2)) == expected) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(uri + " did not answer " + expected + " within " + within);
    }
}
