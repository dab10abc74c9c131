package dev.readiness.bench.scaling;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;
import dev.readiness.testkit.Haproxy;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A new instance joining a loaded pool behind a real HAProxy, with the warm-up and the agent's slow start against
 * without ({@link JoiningInstanceBenchmark}), and the saturation gauge's own costs ({@link SaturationGaugeBenchmark},
 * JMH).
 */
public final class ScalingReport implements ReportBenchmark {

    private static final int RATE = 150;

    @Override
    public String id() {
        return "scaling";
    }

    @Override
    public String title() {
        return "Scaling signals: a new instance joining a loaded pool, and the saturation gauge's cost";
    }

    @Override
    public String doc() {
        return "scaling.md";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        try {
            Haproxy.binary();
        } catch (AssertionError missing) {
            return Section.notRun(this, missing.getMessage());
        }
        int runs = mode.pick(1, 3);
        List<Double> coldP99 = new ArrayList<>();
        List<Double> coldMax = new ArrayList<>();
        List<Double> warmP99 = new ArrayList<>();
        List<Double> warmMax = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long failed = 0;
        for (int i = 0; i < runs; i++) {
            for (boolean warm : new boolean[] {false, true}) {
                JoiningInstanceBenchmark.Result r = JoiningInstanceBenchmark.run(warm, RATE, Duration.ofSeconds(10));
                (warm ? warmP99 : coldP99).add(r.p99Millis());
                (warm ? warmMax : coldMax).add(r.maxMillis());
                failed += r.failed();
                notes.add(String.format(Locale.ROOT, "run %d %s: the new instance served %d requests in its first"
                                + " 10 s (p50 %.1f ms), %d failed in the whole run; %s", i + 1,
                        warm ? "with warm-up + slow start" : "without", r.served(), r.p50Millis(), r.failed(),
                        r.readyLine()));
            }
        }
        Map<String, List<Double>> gauge = gauge(mode);
        Section.Builder b = Section.builder(this)
                .method("A real HAProxy (roundrobin, httpchk on /readyz, agent-check every 200 ms on both servers,"
                        + " retries 0) in front of one warm instance serving an open loop of " + RATE + " `/work`"
                        + " requests/s (a request that builds, sorts and formats a 300-entry document: costly"
                        + " interpreted, cheap compiled); then a second, cold JVM starts and joins. The figures are the"
                        + " latencies of the requests the new instance served in its first 10 s from its first answer,"
                        + " each measured from when it was due. Anchor: the new instance put in rotation at full weight"
                        + " as soon as it is ready; variant: the built-in warm-up (1,000 requests to `/work` before"
                        + " readiness turns UP) and a 10 s slow start of the agent weight. " + runs + " run(s) each,"
                        + " alternating. The gauge's costs: JMH, average time, 1 fork, against started servers.")
                .add(Comparison.lowerIsBetter("p99 of the joining instance's first 10 s", "ms")
                        .anchor("without warm-up", coldP99).variant("warm-up + slow start", warmP99).charted())
                .add(Comparison.lowerIsBetter("max of the joining instance's first 10 s", "ms")
                        .anchor("without warm-up", coldMax).variant("warm-up + slow start", warmMax))
                .add(Comparison.lowerIsBetter("one read of readiness.saturation", "ns")
                        .variant("Tomcat pool", gauge.get("readTomcat"))
                        .variant("Jetty pool", gauge.get("readJetty"))
                        .variant("in-flight over a target", gauge.get("readInFlight"))
                        .variant("gRPC executor (32 threads)", gauge.get("readGrpcExecutor"))
                        .variant("gRPC calls in flight over a target", gauge.get("readGrpcInFlight")))
                .add(Comparison.lowerIsBetter("cost per request of counting it in flight (concurrency target only)",
                        "ns").variant("begin + end", gauge.get("countOneRequest")))
                .note("Failed requests through HAProxy over all runs: " + failed + ".")
                .note("The Tomcat and Jetty sources add nothing per request: they read the counters the pools keep;"
                        + " a read happens per scrape and per agent check.");
        notes.forEach(b::note);
        return b.build();
    }

    private static Map<String, List<Double>> gauge(Mode mode) throws Exception {
        Options options = new OptionsBuilder().include(SaturationGaugeBenchmark.class.getName() + "\\.")
                .warmupIterations(mode.pick(2, 3)).warmupTime(TimeValue.seconds(1))
                .measurementIterations(mode.pick(3, 10)).measurementTime(TimeValue.seconds(1))
                .forks(1).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, List<Double>> nanos = new TreeMap<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    nanos.computeIfAbsent(name, k -> new ArrayList<>()).add(ir.getPrimaryResult().getScore());
                }
            }
        }
        for (String b : List.of("readTomcat", "readJetty", "readInFlight", "readGrpcExecutor", "readGrpcInFlight",
                "countOneRequest")) {
            if (!nanos.containsKey(b)) {
                throw new IllegalStateException("JMH returned no result for " + b + ": " + nanos.keySet());
            }
        }
        return nanos;
    }
}
