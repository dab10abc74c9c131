package dev.readiness.bench.probes;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The report's probe section: {@link ProbeBenchmark} repeated, readiness against Spring Boot Actuator. */
public final class ProbesReport implements ReportBenchmark {

    private static final int CLIENTS = 8;

    @Override
    public String id() {
        return "probes";
    }

    @Override
    public String doc() {
        return "probes.md";
    }

    @Override
    public String title() {
        return "Probes under a hung dependency vs Spring Boot Actuator";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        int reps = mode.pick(2, 3);
        Duration measure = Duration.ofSeconds(mode.pick(2, 5));
        Duration timeout = Duration.ofSeconds(1);
        int rate = ProbeBenchmark.RATE;
        Map<String, List<LoadDriver.Result>> byName = new HashMap<>();
        for (int i = 0; i < reps; i++) {
            for (LoadDriver.Result r : ProbeBenchmark.measure(CLIENTS, measure, Duration.ofSeconds(mode.pick(1, 3)),
                    timeout, rate)) {
                byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
            }
        }
        String hungReady = ProbeBenchmark.paced("hung: readiness /readyz", rate);
        String bootHungReady = ProbeBenchmark.paced("hung: Boot readiness", rate);
        Section.Builder s = Section.builder(this).method("One real redis-server; readiness' management server with a "
                + "Redis PING check in readiness (defaults: every 5 s, 2 s timeout) and a Spring Boot 4.1 application "
                + "with Boot's Redis health indicator in its readiness group, on the same Redis, each in a JVM of its own. "
                + "Healthy, then Redis hung with SIGSTOP. A third JVM runs the floor: one thread on non-blocking "
                + "sockets that answers every request with prepared bytes, so its figures are what the machine, the "
                + "kernel and the driver cost. Latency: probes sent open loop at " + rate + " per second "
                + "(each on a new connection and on its schedule whatever the others do, as the kubelet sends them; 50 times a kubelet's "
                + "rate at a 1 s period) for " + measure.toSeconds() + " s, measured from the scheduled send time. "
                + "Saturation: " + CLIENTS + " clients back to back for " + measure.toSeconds() + " s, which gives "
                + "throughput and a latency that includes queueing behind the other 7 on 2 cores. Each request is "
                + "cut off at 1 s as the kubelet does and then counts at 1 s. " + reps + " repetition(s), each with "
                + "fresh servers; a repetition's latency is its p50 or p99 over all its requests.");
        String floor = ProbeBenchmark.paced(ProbeBenchmark.FLOOR, rate);
        s.add(compare("readiness probe p99, Redis hung", "ms", true, byName, bootHungReady, hungReady,
                r -> r.p99Nanos() / 1e6).variant("floor: a server that only writes fixed bytes",
                values(byName, floor, r -> r.p99Nanos() / 1e6)).charted());
        s.add(compare("readiness probe p50, Redis hung", "ms", true, byName, bootHungReady, hungReady,
                r -> r.p50Nanos() / 1e6).variant("floor: a server that only writes fixed bytes",
                values(byName, floor, r -> r.p50Nanos() / 1e6)));
        s.add(compare("probes cut off at 1 s, Redis hung", "% of probes", true, byName, bootHungReady, hungReady,
                r -> 100.0 * r.timeouts() / Math.max(1, r.requests())).charted());
        s.add(compare("liveness probe p99, Redis hung", "ms", true, byName,
                ProbeBenchmark.paced("hung: Boot liveness", rate), ProbeBenchmark.paced("hung: readiness /livez", rate),
                r -> r.p99Nanos() / 1e6));
        s.add(compare("readiness probe p99 at saturation (" + CLIENTS + " clients), Redis hung", "ms", true, byName,
                "hung: Boot readiness", "hung: readiness /readyz", r -> r.p99Nanos() / 1e6));
        s.add(compare("readiness probes served at saturation, Redis hung", "requests/s", false, byName,
                "hung: Boot readiness", "hung: readiness /readyz", LoadDriver.Result::throughput));
        s.add(compare("readiness probe p50, healthy", "ms", true, byName,
                ProbeBenchmark.paced("healthy: Boot readiness", rate),
                ProbeBenchmark.paced("healthy: readiness /readyz", rate), r -> r.p50Nanos() / 1e6));
        s.add(compare("readiness probes served at saturation, healthy", "requests/s", false, byName,
                "healthy: Boot readiness", "healthy: readiness /readyz", LoadDriver.Result::throughput));
        double p99 = dev.readiness.bench.report.Stats.of(values(byName, hungReady, r -> r.p99Nanos() / 1e6)).median();
        double floorP99 = dev.readiness.bench.report.Stats.of(values(byName, floor, r -> r.p99Nanos() / 1e6)).median();
        double oneClient = dev.readiness.bench.report.Stats.of(values(byName, "hung: readiness /readyz, 1 client",
                r -> r.p99Nanos() / 1e6)).median();
        s.note(String.format(java.util.Locale.ROOT, "Target: p99 at most 2 ms for readiness' probes while the "
                        + "dependency hangs. Paced at %d/s on a new connection each (medians of the repetitions' p99): "
                        + "/readyz %.2f ms (%s), against %.2f ms for the floor, a server that does nothing but write "
                        + "fixed bytes, measured by the same driver in the same run: the part of the tail that is the "
                        + "server's is the difference, %.2f ms. One client back to back on a kept-alive connection "
                        + "(the kubelet's concurrency, without connection set-up): p99 %.2f ms (%s). At saturation the "
                        + "p99 is queueing: %d clients share 2 cores with the servers.", rate, p99,
                p99 <= 2.0 ? "met" : "not met", floorP99, p99 - floorP99, oneClient, oneClient <= 2.0 ? "met" : "not met",
                CLIENTS));
        for (String name : List.of(hungReady, bootHungReady)) {
            LoadDriver.Result last = byName.get(name).get(byName.get(name).size() - 1);
            s.note(name + " (last repetition): " + last.ok() + " answered 200, " + last.unavailable() + " answered 503, "
                    + last.timeouts() + " cut off, " + last.errors() + " errors");
        }
        return s.build();
    }

    private static Comparison compare(String figure, String unit, boolean lower,
                                      Map<String, List<LoadDriver.Result>> byName, String anchor, String ours,
                                      ToDoubleFunction<LoadDriver.Result> value) {
        Comparison c = lower ? Comparison.lowerIsBetter(figure, unit) : Comparison.higherIsBetter(figure, unit);
        return c.anchor("Spring Boot Actuator", values(byName, anchor, value))
                .variant("readiness", values(byName, ours, value));
    }

    private static List<Double> values(Map<String, List<LoadDriver.Result>> byName, String name,
                                       ToDoubleFunction<LoadDriver.Result> value) {
        List<LoadDriver.Result> rs = byName.get(name);
        if (rs == null) {
            throw new IllegalStateException("the probe benchmark measured no " + name + ": " + byName.keySet());
        }
        return rs.stream().map(r -> value.applyAsDouble(r)).toList();
    }
}
