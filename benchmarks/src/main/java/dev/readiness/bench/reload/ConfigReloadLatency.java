package dev.readiness.bench.reload;

import dev.readiness.core.config.DurationConverter;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ReloadResult;
import dev.readiness.testkit.KubeletAtomicWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Latency from the kubelet's rename of {@code ..data_tmp} onto {@code ..data} to the change listeners having
 * run, over a real directory updated step for step as the kubelet does it, with the watcher's default settings.
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.readiness.bench.reload.ConfigReloadLatency [--updates 300] [--warmup 30] [--keys 20] [--gap-ms 20] \
 *     [--debounce 10ms] [--no-events --poll 100ms] [--log-level INFO|WARN]
 * </pre>
 * Each update changes every key; the next is written only after the listener saw the previous one (plus a gap),
 * as ConfigMap updates are minutes apart in practice. The anchors: spring-cloud-kubernetes polls the API every
 * 15 s (its event watcher waits a blind 120 s), Reloader restarts the pod (tens of seconds).
 */
public final class ConfigReloadLatency {

    private ConfigReloadLatency() {
    }

    public static void main(String[] args) throws Exception {
        int updates = 300;
        int warmup = 30;
        int keys = 20;
        long gapMs = 20;
        Duration debounce = ConfigMapWatcher.DEFAULT_DEBOUNCE;
        Duration poll = ConfigMapWatcher.DEFAULT_POLL_INTERVAL;
        boolean events = true;
        String logLevel = "INFO";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--updates" -> updates = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--gap-ms" -> gapMs = Long.parseLong(args[++i]);
                case "--debounce" -> debounce = DurationConverter.parse(args[++i]);
                case "--poll" -> poll = DurationConverter.parse(args[++i]);
                case "--log-level" -> logLevel = args[++i];
                case "--no-events" -> events = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; see the class Javadoc");
            }
        }
        if (updates < 200) {
            throw new IllegalArgumentException("--updates must be at least 200 for a p99: was " + updates);
        }
        // logback (from the Spring Boot anchors) logs everything at DEBUG without a configuration file;
        // a service logs the watcher's one INFO line per reload, so that is what is measured by default
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.toLevel(logLevel));
        run(updates, warmup, keys, gapMs, debounce, poll, events, System.out);
    }

    static void run(int updates, int warmup, int keys, long gapMs, Duration debounce, Duration poll, boolean events,
                    PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("readiness-reload-bench");
        BlockingQueue<long[]> seen = new ArrayBlockingQueue<>(4);
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(payload(0, keys));
        long[] latencies = new long[updates];
        int missed = 0;
        try (ConfigMapWatcher watcher = ConfigMapWatcher.builder().directory(dir).debounce(debounce)
                .pollInterval(poll).fileEvents(events)
                .listener(c -> seen.offer(new long[]{System.nanoTime(),
                        Long.parseLong(c.current().values().get("marker"))}))
                .build().start()) {
            seen.take(); // the load at start
            for (int i = 1; i <= warmup + updates; i++) {
                KubeletAtomicWriter.Write w = writer.write(payload(i, keys));
                long[] s = awaitMarker(seen, i);
                if (s == null) {
                    missed++;
                } else if (i > warmup) {
                    latencies[i - warmup - 1] = s[0] - w.swapNanos();
                }
                Thread.sleep(gapMs);
            }
            report(out, latencies, missed, updates, keys, debounce, poll, events, watcher);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static long[] awaitMarker(BlockingQueue<long[]> seen, int marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long[] s = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (s != null && s[1] == marker) {
                return s;
            }
        }
        return null;
    }

    private static void report(PrintStream out, long[] latencies, int missed, int updates, int keys,
                               Duration debounce, Duration poll, boolean events, ConfigMapWatcher w) {
        long[] sorted = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
        out.printf(Locale.ROOT, "ConfigMap reload latency, rename of ..data -> listeners done%n");
        out.printf(Locale.ROOT, "  updates=%d keys=%d debounce=%s poll-interval=%s file-events=%s cores=%d java=%s%n",
                updates, keys, debounce, poll, events, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        // the figures mean little without the machine's load: on a shared machine the tail is scheduling
        out.printf(Locale.ROOT, "  load average at the end: %.1f%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf(Locale.ROOT, "  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  max=%.1f ms  mean=%.1f ms%n",
                ms(pct(sorted, 0.50)), ms(pct(sorted, 0.90)), ms(pct(sorted, 0.99)),
                ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                ms((long) Arrays.stream(sorted).average().orElse(0)));
        out.printf(Locale.ROOT, "  missed=%d reloads: success=%d unchanged=%d invalid=%d read_error=%d%n", missed,
                w.reloads(ReloadResult.SUCCESS), w.reloads(ReloadResult.UNCHANGED),
                w.reloads(ReloadResult.INVALID), w.reloads(ReloadResult.READ_ERROR));
        out.printf(Locale.ROOT, "  anchors: 15 s API polling (spring-cloud-kubernetes), 120 s blind delay (its"
                + " event watcher), a pod restart (Reloader)%n");
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static Map<String, String> payload(int marker, int keys) {
        Map<String, String> p = new TreeMap<>();
        p.put("marker", String.valueOf(marker));
        StringBuilder props = new StringBuilder();
        for (int k = 0; k < keys; k++) {
            props.append("app.key").append(k).append('=').append(marker).append('\n');
        }
        p.put("application.properties", props.toString());
        return p;
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
