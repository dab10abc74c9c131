package dev.readiness.bench.probes;

import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.SlowClients;
import dev.readiness.testkit.process.ForkedJvm;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Probes while other clients abuse the port, readiness' management server against Spring Boot Actuator's health
 * endpoint, in one run on one machine. Not a test: run it and read the table.
 * <p>
 * Each server runs in a JVM of its own ({@link ProbeServer}, the same servers as {@link ProbeBenchmark}: our
 * management server with a Redis PING check, and {@link BootAnchor} with Boot's Redis health indicator). Ours runs
 * twice: with Jetty 12 on the class path (its bounded engine) and without (the JDK's server, what a user without
 * Jetty gets). For each,
 * rows of probes sent the kubelet's way ({@link LoadDriver#paced}: a new connection per probe, at a fixed rate,
 * cut off at the kubelet's default timeout of 1 s, latency from the scheduled send time):
 * <ul>
 *   <li>with 0, 1,000 and 10,000 slow connections held open ({@link SlowClients}: a partial request, then one
 *       byte every 5 s; a connection the server closes is opened again at its next turn);</li>
 *   <li>with the application saturated: in a fresh JVM of each server, {@code busy} threads (default 4 per core)
 *       that spin on the CPU for the whole row, as an application whose every thread is busy.</li>
 * </ul>
 * A failure is any probe that did not answer 200 within 1 s (a timeout, a refused or reset connection, or
 * another status). The slow connections are opened, then given one full trickle period before the probes start,
 * so every row also meets whatever the server does to them (timeouts, evictions, the client's reconnects).
 * Settings (system properties): {@code seconds} per row (20), {@code rate} probes per second (20),
 * {@code busy} threads (4 x cores), {@code servers} to run ({@code jetty,jdk,boot}), {@code slow} connection counts ({@code 0,1000,10000}).
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.readiness.bench.probes.AbuseBenchmark
 * </pre>
 * 10,000 connections need 10,000 file descriptors in this JVM and as many in the server's: check
 * {@code ulimit -n} first (the run says when it is too low).
 */
public final class AbuseBenchmark {

    private static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BYTE_EVERY = Duration.ofSeconds(5);
    private static final int[] SLOW = java.util.Arrays.stream(System.getProperty("slow", "0,1000,10000").split(","))
            .mapToInt(Integer::parseInt).toArray();

    private AbuseBenchmark() {
    }

    /** One row: the probes' figures and what the slow clients saw meanwhile. */
    record Row(LoadDriver.Result probes, int slow, int slowOpenAtEnd, long closedByServer, long connectFailures) {

        int failures() {
            return probes.requests() - probes.ok();
        }

        String line() {
            return String.format("| %-52s | %6d | %8.1f | %8.1f | %8.1f | %8d | %5d | %9d | %9d | %9d |",
                    probes.name(), probes.requests(), probes.p50Nanos() / 1e6, probes.p99Nanos() / 1e6,
                    probes.maxNanos() / 1e6, failures(), probes.timeouts(), slowOpenAtEnd, closedByServer,
                    connectFailures);
        }
    }

    static final String HEADER = String.format("| %-52s | %6s | %8s | %8s | %8s | %8s | %5s | %9s | %9s | %9s |%n"
                    + "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|", "probe, while", "probes", "p50 ms", "p99 ms", "max ms",
            "failures", "t/o", "slow open", "closed", "refused", "-".repeat(54), "-".repeat(8), "-".repeat(10),
            "-".repeat(10), "-".repeat(10), "-".repeat(10), "-".repeat(7), "-".repeat(11), "-".repeat(11),
            "-".repeat(11));

    public static void main(String[] args) throws Exception {
        Duration row = Duration.ofSeconds(Integer.getInteger("seconds", 20));
        int rate = Integer.getInteger("rate", 20);
        int busy = Integer.getInteger("busy", 4 * Runtime.getRuntime().availableProcessors());
        List<Row> rows = measure(row, rate, busy);
        System.out.println();
        System.out.println(HEADER);
        rows.forEach(r -> System.out.println(r.line()));
        System.out.printf("(failures: probes without a 200 within %d ms, of which t/o timed out and the rest were"
                + " refused, reset or closed; slow open: slow connections open at the"
                + " row's end; closed: slow connections the server closed during the row; refused: slow connections"
                + " not accepted within 5 s during the row)%n", KUBELET_TIMEOUT.toMillis());
        System.exit(0); // Lettuce and Tomcat leave non-daemon threads behind
    }

    static List<Row> measure(Duration row, int rate, int busy) throws Exception {
        System.out.printf("abuse benchmark: %d probes/s for %d s per row, %d ms timeout, slow connections send a"
                        + " byte every %d s, %d busy threads when saturated, %d cores, ulimit -n %s%n", rate,
                row.toSeconds(), KUBELET_TIMEOUT.toMillis(), BYTE_EVERY.toSeconds(), busy,
                Runtime.getRuntime().availableProcessors(), openFileLimit());
        List<Row> rows = new ArrayList<>();
        String all = ForkedJvm.currentClasspath();
        // a user without Jetty: the same class path without Jetty's jars, so the JDK's server serves
        String noJetty = String.join(File.pathSeparator, Arrays.stream(all.split(File.pathSeparator))
                .filter(e -> !e.contains("jetty")).toList());
        String[][] servers = {
                {"jetty", "readiness (Jetty) /readyz", "readiness", all, "/readyz"},
                {"jdk", "readiness (JDK server) /readyz", "readiness", noJetty, "/readyz"},
                {"boot", "Boot /actuator/health/readiness", "boot", all, "/actuator/health/readiness"}};
        List<String> only = List.of(System.getProperty("servers", "jetty,jdk,boot").split(","));
        try (RedisServer redis = RedisServer.start()) {
            for (String[] entry : servers) {
                if (!only.contains(entry[0])) {
                    continue;
                }
                String[] s = Arrays.copyOfRange(entry, 1, entry.length);
                try (ForkedJvm server = fork(s[1], s[2], redis.port(), 0)) {
                    URI uri = URI.create("http://127.0.0.1:" + ProbeServer.port(server, Duration.ofSeconds(120)) + s[3]);
                    LoadDriver.paced("warmup", uri, rate, Duration.ofSeconds(3), KUBELET_TIMEOUT);
                    for (int slow : SLOW) {
                        rows.add(row(s[0] + ", " + String.format("%,d", slow) + " slow conns", uri, slow, row, rate));
                    }
                }
                try (ForkedJvm server = fork(s[1], s[2], redis.port(), busy)) {
                    URI uri = URI.create("http://127.0.0.1:" + ProbeServer.port(server, Duration.ofSeconds(180)) + s[3]);
                    LoadDriver.paced("warmup", uri, rate, Duration.ofSeconds(3), KUBELET_TIMEOUT);
                    rows.add(row(s[0] + ", " + busy + " busy app threads", uri, 0, row, rate));
                }
            }
        }
        return rows;
    }

    private static Row row(String name, URI uri, int slow, Duration duration, int rate) throws Exception {
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        try (SlowClients clients = SlowClients.open(address, slow, BYTE_EVERY)) {
            if (slow > 0) {
                Thread.sleep(BYTE_EVERY.toMillis() + 1_000); // one full trickle period before measuring
            }
            long closedBefore = clients.closedByServer();
            long failedBefore = clients.connectFailures();
            LoadDriver.Result probes = LoadDriver.paced(name, uri, rate, duration, KUBELET_TIMEOUT);
            Row r = new Row(probes, slow, clients.open(), clients.closedByServer() - closedBefore,
                    clients.connectFailures() - failedBefore);
            System.out.println(r.line());
            return r;
        }
    }

    /** A server of {@link ProbeServer} in its own JVM, with {@code busy} spinning threads when positive. */
    private static ForkedJvm fork(String variant, String classpath, int redisPort, int busy) throws IOException {
        return ForkedJvm.start(variant + (busy > 0 ? "-saturated" : ""), classpath,
                Saturated.class.getName(), Map.of(), List.of(), false, Integer.toString(busy), variant,
                Integer.toString(redisPort));
    }

    private static String openFileLimit() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
            String limit = new String(p.getInputStream().readAllBytes()).strip();
            // each process holds one end of every slow connection: this one, and the forked server
            if (limit.matches("\\d+") && Long.parseLong(limit) < SLOW[SLOW.length - 1] + 1_000) {
                System.out.println("WARNING: ulimit -n is " + limit + ": the 10,000 rows will run out of file"
                        + " descriptors; raise it (ulimit -n 65536) and run again");
            }
            return limit;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * A {@link ProbeServer} whose application is saturated: arguments are the number of busy threads, then
     * {@link ProbeServer}'s own. The threads spin from the start for the JVM's life.
     */
    static final class Saturated {

        private Saturated() {
        }

        public static void main(String[] args) throws Exception {
            int busy = Integer.parseInt(args[0]);
            for (int i = 0; i < busy; i++) {
                Thread t = new Thread(Saturated::spin, "app-busy-" + i);
                t.setDaemon(true);
                t.start();
            }
            ProbeServer.main(Arrays.copyOfRange(args, 1, args.length));
        }

        private static volatile long sink;

        private static void spin() {
            long x = 0;
            while (true) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                if ((x & 0xFFFFF) == 0) {
                    sink = x;
                }
            }
        }
    }
}
