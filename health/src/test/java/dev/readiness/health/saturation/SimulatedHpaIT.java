package dev.readiness.health.saturation;

import dev.readiness.testkit.FreePorts;
import dev.readiness.health.agent.AgentTestService;
import dev.readiness.testkit.process.ForkedJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scaling recipe tried end to end as far as one machine allows: the HPA's own formula,
 * {@code desiredReplicas = ceil(replicas x average metric / target)}, run every second over instances this test
 * starts (forked JVMs) and stops (SIGTERM, drained), driven by {@code readiness_saturation} scraped from each
 * instance's {@code /metrics}. Under an I/O-bound load (requests that wait, as on a database) it scales out, while
 * the same formula on the instances' CPU (measured from /proc, against a request of one core) never leaves one
 * replica; it scales in too (out of rotation, then SIGTERM and a drain), without the HPA's stabilization window,
 * and when the load stops it is back to one replica, with no request failed.
 */
class SimulatedHpaIT {

    private static final double TARGET = 0.7;
    private static final int MAX_REPLICAS = 5;
    private static final Pattern GAUGE = Pattern.compile("(?m)^readiness_saturation\\{source=\"jetty\"} (\\S+)$");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private final List<Instance> stopping = new CopyOnWriteArrayList<>();

    private record Instance(ForkedJvm jvm, int app, int management) {
    }

    private Instance start(int n) throws Exception {
        int app = FreePorts.next();
        int management = FreePorts.next();
        ForkedJvm jvm = ForkedJvm.start("hpa-" + n, ForkedJvm.currentClasspath(), AgentTestService.class.getName(),
                Map.of("SERVER_PORT", Integer.toString(app), "READINESS_MANAGEMENT_PORT", Integer.toString(management),
                        "READINESS_AGENT_PORT", "0", "READINESS_AGENT_HOST", "127.0.0.1", "THREADS", "8",
                        "READINESS_DRAIN_PROPAGATION_DELAY", "200ms", "READINESS_DRAIN_TIMEOUT", "5s"),
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), false);
        jvm.await("LISTENING port=(\\d+)", Duration.ofSeconds(30));
        return new Instance(jvm, app, management);
    }

    private double saturation(Instance i) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.management() + "/metrics"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = GAUGE.matcher(body);
        assertThat(m.find()).as("readiness_saturation in /metrics:\n%s", body).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** CPU seconds the process has used, from /proc/PID/stat (utime + stime, in clock ticks of 1/100 s). */
    private static double cpuSeconds(ForkedJvm jvm) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + jvm.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static int desired(int replicas, double average) {
        return Math.max(1, Math.min(MAX_REPLICAS, (int) Math.ceil(replicas * average / TARGET - 1e-9)));
    }

    @Test
    void scalesOutOnSaturationUnderIoBoundLoadWhereACpuTargetNeverTriggersAndBackInWhenItStops() throws Exception {
        ScheduledExecutorService load = Executors.newScheduledThreadPool(1);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> steps = new ArrayList<>();
        try {
            instances.add(start(0));
            // 50 requests/s that each wait 200 ms: 10 in flight, more than one instance's 6 request threads
            long[] n = {0};
            load.scheduleAtFixedRate(() -> {
                List<Instance> now = instances;
                Instance target = now.get((int) (n[0]++ % now.size()));
                sent.incrementAndGet();
                client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.app() + "/slow?ms=200"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            if (e != null || r.statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                        });
            }, 0, 20, TimeUnit.MILLISECONDS);

            int maxReplicas = 1;
            int minReplicasUnderLoad = Integer.MAX_VALUE;
            int maxCpuDesired = 1;
            double cpuAt = System.nanoTime() / 1e9;
            Map<ForkedJvm, Double> cpuBefore = new java.util.HashMap<>();
            for (Instance i : instances) {
                cpuBefore.put(i.jvm(), cpuSeconds(i.jvm()));
            }
            for (int tick = 0; tick < 20; tick++) {
                Thread.sleep(1_000);
                double sum = 0;
                for (Instance i : instances) {
                    sum += saturation(i);
                }
                int replicas = instances.size();
                double average = sum / replicas;
                int want = desired(replicas, average);
                double now = System.nanoTime() / 1e9;
                double cpu = 0;
                for (Instance i : instances) {
                    double c = cpuSeconds(i.jvm());
                    cpu += c - cpuBefore.getOrDefault(i.jvm(), c);
                    cpuBefore.put(i.jvm(), c);
                }
                double cpuUtilization = cpu / (now - cpuAt) / replicas; // per pod, against a request of 1 core
                cpuAt = now;
                int cpuWant = desired(replicas, cpuUtilization);
                if (tick >= 3) { // after the JIT's start-up work, as an HPA's initialization period ignores it
                    maxCpuDesired = Math.max(maxCpuDesired, Math.min(cpuWant, MAX_REPLICAS));
                }
                steps.add(String.format(java.util.Locale.ROOT, "t=%ds replicas=%d saturation=%.2f -> %d; cpu=%.2f -> %d",
                        tick + 1, replicas, average, want, cpuUtilization, cpuWant));
                while (instances.size() < want) {
                    instances.add(start(instances.size()));
                }
                while (instances.size() > want) {
                    // out of rotation first (the endpoints update), then SIGTERM: the drain finishes its requests
                    Instance last = instances.remove(instances.size() - 1);
                    last.jvm().signal("TERM");
                    stopping.add(last);
                }
                maxReplicas = Math.max(maxReplicas, instances.size());
                minReplicasUnderLoad = Math.min(minReplicasUnderLoad, instances.size());
                if (tick >= 8 && want == replicas) {
                    break; // stable
                }
            }
            steps.forEach(s -> System.out.println("simulated HPA: " + s));
            assertThat(maxReplicas).as("scaled out on saturation: %s", steps).isGreaterThanOrEqualTo(2);
            assertThat(minReplicasUnderLoad).as("never back to one replica under the load: %s", steps)
                    .isGreaterThanOrEqualTo(2);
            assertThat(maxCpuDesired).as("the same formula on CPU keeps one replica: %s", steps).isEqualTo(1);

            load.shutdownNow();
            Thread.sleep(1_000); // the last waits answered
            int replicas = instances.size();
            double sum = 0;
            for (Instance i : instances) {
                sum += saturation(i);
            }
            int want = desired(replicas, sum / replicas);
            System.out.println("simulated HPA: load stopped, replicas=" + replicas + " -> " + want);
            assertThat(want).as("scales back in once idle").isEqualTo(1);
            while (instances.size() > want) {
                Instance last = instances.remove(instances.size() - 1);
                last.jvm().signal("TERM");
                assertThat(last.jvm().awaitExit(Duration.ofSeconds(20))).isZero();
            }
            for (Instance i : stopping) {
                assertThat(i.jvm().awaitExit(Duration.ofSeconds(20))).as("drained exit").isZero();
            }
            System.out.println("simulated HPA: " + sent.get() + " requests, " + failed.get() + " failed");
            assertThat(failed.get()).as("failed of %d requests", sent.get()).isZero();
        } finally {
            load.shutdownNow();
            for (Instance i : instances) {
                i.jvm().close();
            }
            for (Instance i : stopping) {
                i.jvm().close();
            }
        }
    }
}
