package dev.readiness.bench.report;

import dev.readiness.bench.listen.ListenQueueSampleBenchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost of one listen-queue sample ({@link ListenQueueSampleBenchmark}, JMH, average time per sample). The
 * anchor is the full read with a {@code /proc/self/fd} scan, what every sample would cost without the probe's
 * partial reads of the LISTEN section; each JMH measurement iteration is one repetition.
 */
final class ListenReport implements ReportBenchmark {

    private static final String OWN = "sampleOwnListeners";
    private static final String PORTS = "sampleConfiguredPorts";
    private static final String FULL = "firstSampleWithFdScan";
    private static final String SYNTHETIC = "sampleSyntheticTree";
    /** readiness.listen.interval's default. */
    private static final double INTERVAL_MICROS = 5_000_000;

    @Override
    public String id() {
        return "listen";
    }

    @Override
    public String doc() {
        return "listen-queue.md";
    }

    @Override
    public String title() {
        return "Listen-queue probe: cost of one sample";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            return Section.notRun(this, "needs Linux /proc/net/tcp");
        }
        String connections = mode == Mode.QUICK ? "100" : "500";
        int iterations = mode.pick(5, 10);
        Options options = new OptionsBuilder()
                .include(ListenQueueSampleBenchmark.class.getName() + "\\.(" + String.join("|", OWN, PORTS, FULL,
                        SYNTHETIC) + ")$")
                .param("connections", connections)
                .warmupIterations(mode.pick(2, 3)).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .forks(1).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, List<Double>> micros = new TreeMap<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    micros.computeIfAbsent(name, k -> new ArrayList<>()).add(ir.getPrimaryResult().getScore());
                }
            }
        }
        for (String b : List.of(OWN, PORTS, FULL, SYNTHETIC)) {
            if (!micros.containsKey(b)) {
                throw new IllegalStateException("JMH returned no result for " + b + ": " + micros.keySet());
            }
        }
        double ownMedian = Stats.of(micros.get(OWN)).median();
        return Section.builder(this)
                .method("JMH, average time of one `ListenQueueProbe.sample()` with " + connections + " loopback "
                        + "connections open (each twice in `/proc/net/tcp*`), 1 fork, " + iterations + " measurement "
                        + "iterations of 1 s (each one repetition). The anchor is a full read with the `/proc/self/fd` "
                        + "scan, what every sample would cost if the probe read both tables whole each time (it does so "
                        + "once in 12 samples). \"default\" matches own listeners by inode; "
                        + "\"ports configured\" has `readiness.listen.ports` set; \"synthetic /proc\" is the library's own "
                        + "parsing over regular files, without the kernel's cost of producing `/proc/net/tcp`.")
                .add(Comparison.lowerIsBetter("one sample", "µs")
                        .anchor("full read, fd scan", micros.get(FULL))
                        .variant("default", micros.get(OWN))
                        .variant("ports configured", micros.get(PORTS))
                        .variant("synthetic /proc", micros.get(SYNTHETIC)).charted())
                .note(String.format(Locale.ROOT, "At the default 5 s interval the default sample costs %.4f %% of one "
                        + "core (median).", 100 * ownMedian / INTERVAL_MICROS))
                .build();
    }
}
