package dev.readiness.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs every benchmark of the report and writes {@code src/docs/benchmarks.md} and its charts.
 * <pre>
 * benchmarks/run.sh [--quick|--full] [--only id,id] [--root dir]
 * java -jar benchmarks/target/readiness-benchmarks.jar [--quick|--full] [--only id,id] [--root dir] [--list]
 * </pre>
 * {@code --quick} (the default) is a smoke run of a few minutes; {@code --full} takes longer with more
 * repetitions. {@code --root} is the repository (default: the working directory or the nearest parent with
 * {@code src/docs}). A benchmark that fails or cannot run on this machine gets a section saying why; the others
 * still run.
 */
public final class BenchmarkReport {

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        quietLogging();
        Mode mode = Mode.QUICK;
        Set<String> only = new LinkedHashSet<>();
        Path root = null;
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = Mode.QUICK;
                case "--full" -> mode = Mode.FULL;
                case "--only" -> only.addAll(Arrays.asList(value(args, ++i, "--only").split(",")));
                case "--root" -> root = Path.of(value(args, ++i, "--root"));
                case "--list" -> list = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --quick, --full, --only id[,id], --root dir or --list");
            }
        }
        Path repo = root != null ? root : findRepository(Path.of("").toAbsolutePath());
        List<ReportBenchmark> all = Benchmarks.all(repo);
        if (list) {
            all.forEach(b -> System.out.println(b.id() + "\t" + b.title()));
            return;
        }
        List<ReportBenchmark> chosen = select(all, only);
        ZonedDateTime started = ZonedDateTime.now();
        String loadStart = Machine.loadAverages();
        long t0 = System.nanoTime();
        List<Section> sections = runAll(chosen, mode);
        double total = (System.nanoTime() - t0) / 1e9;
        String command = "benchmarks/run.sh " + String.join(" ", args);
        write(repo, sections, Machine.current(), mode, command.trim(), loadStart, Machine.loadAverages(), started,
                total);
        System.out.println("wrote " + repo.resolve("src/docs/benchmarks.md"));
        // Lettuce, Tomcat and Spring leave non-daemon threads behind
        System.exit(0);
    }

    static List<ReportBenchmark> select(List<ReportBenchmark> all, Set<String> only) {
        if (only.isEmpty()) {
            return all;
        }
        for (String id : only) {
            if (all.stream().noneMatch(b -> b.id().equals(id))) {
                throw new IllegalArgumentException("--only names an unknown benchmark " + id + "; known: "
                        + all.stream().map(ReportBenchmark::id).toList());
            }
        }
        return all.stream().filter(b -> only.contains(b.id())).toList();
    }

    /** Runs each benchmark in turn; a failure becomes that benchmark's section and the rest still run. */
    static List<Section> runAll(List<ReportBenchmark> benchmarks, Mode mode) {
        List<Section> sections = new ArrayList<>();
        for (ReportBenchmark b : benchmarks) {
            System.out.printf(Locale.ROOT, "== %s (%s), load average %s%n", b.id(), b.title(), Machine.loadAverages());
            double loadBefore = Machine.loadAverage();
            long t0 = System.nanoTime();
            Section s;
            try {
                s = b.run(mode);
            } catch (Exception | Error e) {
                e.printStackTrace();
                s = Section.notRun(b, "failed: " + e);
            }
            s = s.timed((System.nanoTime() - t0) / 1e9, loadBefore, Machine.loadAverage());
            System.out.printf(Locale.ROOT, "   %s in %.0f s%n", s.notRun() == null ? "done" : s.notRun(), s.seconds());
            sections.add(s);
        }
        return sections;
    }

    /** Writes the Markdown page and one PNG per charted comparison; removes charts of an earlier run. */
    static void write(Path repo, List<Section> sections, Machine machine, Mode mode, String command,
                      String loadStart, String loadEnd, ZonedDateTime started, double totalSeconds)
            throws IOException {
        Path docs = repo.resolve("src/docs");
        Path charts = docs.resolve("benchmarks");
        Files.createDirectories(charts);
        try (Stream<Path> old = Files.list(charts)) {
            for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".png")).toList()) {
                Files.delete(p);
            }
        }
        // the figures first: a chart that cannot be drawn must not lose them
        Files.writeString(docs.resolve("benchmarks.md"), MarkdownReport.render(sections, machine, mode, command,
                loadStart, loadEnd, started, totalSeconds, "benchmarks"));
        for (Section s : sections) {
            for (Comparison c : s.comparisons()) {
                if (c.chart()) {
                    Charts.write(c, charts.resolve(Charts.fileName(s, c)));
                }
            }
        }
    }

    static Path findRepository(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("src/docs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("no repository (a folder with pom.xml and src/docs) at or above " + from
                + "; run from the repository or pass --root");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Logback (from the Spring Boot anchors) logs at DEBUG without a configuration file. */
    private static void quietLogging() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
