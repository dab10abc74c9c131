package dev.readiness.bench.report;

import dev.readiness.bench.gc.GcTuningBenchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** JDK defaults against readiness-gc flags in memory cgroups ({@link GcTuningBenchmark}), and the entrypoint's start cost. */
final class GcReport implements ReportBenchmark {

    private static final long[] LIMITS_MIB = {512, 1024};

    @Override
    public String id() {
        return "gc";
    }

    @Override
    public String doc() {
        return "gc-tuning.md";
    }

    @Override
    public String title() {
        return "GC in 512 MiB and 1 GiB cgroups: JDK defaults vs readiness-gc";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        Path jar = gcJar();
        String unavailable = GcTuningBenchmark.unavailableReason(jar);
        if (unavailable != null) {
            return Section.notRun(this, unavailable);
        }
        int reps = mode.pick(2, 3);
        int seconds = mode.pick(4, 8);
        // key: limit + variant, values per repetition
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        Map<String, List<Double>> pause = new LinkedHashMap<>();
        Map<String, List<Double>> peak = new LinkedHashMap<>();
        Set<String> shapes = new LinkedHashSet<>();
        for (int i = 0; i < reps; i++) {
            for (GcTuningBenchmark.Run r : GcTuningBenchmark.workload(jar, seconds, LIMITS_MIB)) {
                String key = r.limitMiB() + "/" + r.ours();
                rps.computeIfAbsent(key, k -> new ArrayList<>()).add(number(r.result().get("requestsPerSecond")));
                pause.computeIfAbsent(key, k -> new ArrayList<>()).add(number(r.result().get("longestPauseMs")));
                peak.computeIfAbsent(key, k -> new ArrayList<>()).add((double) r.cgroupPeakMiB());
                shapes.add(limit(r.limitMiB()) + ", " + variant(r.ours()) + ": " + r.result().get("collectors")
                        + ", max heap " + r.result().get("maxHeapMiB") + " MiB, JVM peak RSS "
                        + r.result().get("peakRssMiB") + " MiB");
            }
        }
        Section.Builder section = Section.builder(this)
                .method("The same allocation-heavy workload (a live set of a fifth of the limit, short-lived request "
                        + "buffers, cache entries replaced now and then) in a real cgroup v1 memory cgroup of each limit, "
                        + "started with the JDK's defaults and through the readiness-gc entrypoint; " + reps
                        + " repetition(s) of " + seconds + " s per variant and limit. Then the entrypoint's start cost: "
                        + "process start to exit of an empty main, interleaved runs.");
        for (long limit : LIMITS_MIB) {
            String a = limit + "/false";
            String o = limit + "/true";
            section.add(Comparison.higherIsBetter("throughput in " + limit(limit), "requests/s")
                    .anchor(variant(false), rps.get(a)).variant(variant(true), rps.get(o)).charted());
            section.add(Comparison.lowerIsBetter("longest GC pause in " + limit(limit), "ms")
                    .anchor(variant(false), pause.get(a)).variant(variant(true), pause.get(o)));
            section.add(Comparison.lowerIsBetter("cgroup peak memory in " + limit(limit), "MiB")
                    .anchor(variant(false), peak.get(a)).variant(variant(true), peak.get(o)));
        }
        GcTuningBenchmark.StartCost cost = GcTuningBenchmark.startCost(jar, mode.pick(5, 15));
        section.add(Comparison.lowerIsBetter("JVM start to exit, empty main", "ms")
                .anchor("java (JDK defaults)", cost.plain())
                .variant("through the readiness-gc entrypoint", cost.entrypoint())
                .variant("the readiness-gc CLI alone", cost.cli()).charted());
        shapes.forEach(section::note);
        section.note("Peak memory is higher with readiness-gc because the heap it sizes is used; it is not a "
                + "limit overrun. The entrypoint's start cost is one more short JVM start (the CLI); an argument "
                + "file written once by an init container avoids it.");
        return section.build();
    }

    /** The gc-tuning jar this report was started with, else the reactor's build output. */
    static Path gcJar() throws Exception {
        Path own = Path.of(dev.readiness.gc.cli.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isRegularFile(own)) {
            return own;
        }
        Path target = BenchmarkReport.findRepository(Path.of("").toAbsolutePath()).resolve("gc-tuning/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                return s.filter(p -> p.getFileName().toString().matches("readiness-gc-tuning-[^-]+(-SNAPSHOT)?\\.jar"))
                        .findFirst().orElse(target.resolve("readiness-gc-tuning.jar"));
            }
        }
        return target.resolve("readiness-gc-tuning.jar");
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the workload printed no figure (" + value + "); see its output above", e);
        }
    }

    private static String limit(long mib) {
        return mib >= 1024 ? (mib / 1024) + " GiB" : mib + " MiB";
    }

    private static String variant(boolean ours) {
        return ours ? "readiness-gc flags" : "JDK defaults";
    }
}
