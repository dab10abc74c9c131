package dev.readiness.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkReportTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path repo;

    private static ReportBenchmark benchmark(String id, Mode[] seen, Section.Builder[] out) {
        return new ReportBenchmark() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return "Title of " + id;
            }

            @Override
            public Section run(Mode mode) {
                seen[0] = mode;
                return Section.builder(this).method("how " + id + " measures")
                        .add(Comparison.lowerIsBetter("probe latency", "ms").anchor("Actuator", List.of(1000, 1000, 990))
                                .variant("readiness", List.of(0.2, 0.4, 0.3)).charted())
                        .add(Comparison.higherIsBetter("throughput", "requests/s").anchor("in-memory", List.of(100, 120))
                                .variant("readiness", List.of(90, 110)))
                        .note("a qualifying note").build();
            }
        };
    }

    private static ReportBenchmark failing(String id, Exception e) {
        return new ReportBenchmark() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String title() {
                return "Failing " + id;
            }

            @Override
            public Section run(Mode mode) throws Exception {
                throw e;
            }
        };
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.of(3, 1, 2).median()).isEqualTo(2);
        assertThat(Stats.of(4, 1, 3, 2).median()).isEqualTo(2.5);
        Stats s = Stats.of(5, 1, 9, 7, 3);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(9);
        assertThat(s.n()).isEqualTo(5);
        assertThat(s.p90()).isEqualTo(9);
        assertThat(s.relativeSpread()).isEqualTo(8.0 / 5);
    }

    @Test
    void p90IsTheNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertThat(Stats.of(v).p90()).isEqualTo(90);
    }

    @Test
    void aSeriesWithoutValuesOrWithANonFiniteValueIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> Stats.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one value");
        assertThatThrownBy(() -> Comparison.lowerIsBetter("x", "ms").variant("v", List.of(1.0, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Stats.of(1, Double.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
    }

    @Test
    void ratioIsTheMedianOverTheAnchorsMedianAndAbsentWithoutAnAnchorOrWithAZeroAnchor() {
        Comparison c = Comparison.lowerIsBetter("x", "ms").anchor("a", List.of(10, 20, 30))
                .variant("ours", List.of(1, 5, 9));
        assertThat(c.ratioToAnchor(c.series().get(1)).getAsDouble()).isEqualTo(0.25);
        Comparison none = Comparison.lowerIsBetter("x", "ms").variant("ours", List.of(1));
        assertThat(none.ratioToAnchor(none.series().get(0))).isEmpty();
        Comparison zero = Comparison.lowerIsBetter("x", "ms").anchor("a", List.of(0, 0)).variant("ours", List.of(1));
        assertThat(zero.ratioToAnchor(zero.series().get(1))).isEmpty();
    }

    @Test
    void aComparisonRefusesASecondAnchorAndAVariantNamedTwice() {
        Comparison c = Comparison.lowerIsBetter("x", "ms").anchor("a", List.of(1));
        assertThatThrownBy(() -> c.anchor("b", List.of(1))).hasMessageContaining("at most one anchor");
        assertThatThrownBy(() -> c.variant("a", List.of(1))).hasMessageContaining("variant a twice");
    }

    @Test
    void aFailingBenchmarkGetsASectionSayingWhyAndTheOthersStillRun() {
        Mode[] seen = new Mode[1];
        List<Section> sections = BenchmarkReport.runAll(List.of(
                failing("broken", new IllegalStateException("no redis-server")),
                benchmark("probes", seen, null)), Mode.FULL);
        assertThat(sections).hasSize(2);
        assertThat(sections.get(0).notRun()).contains("failed").contains("no redis-server");
        assertThat(sections.get(1).notRun()).isNull();
        assertThat(sections.get(1).comparisons()).hasSize(2);
        assertThat(sections.get(1).seconds()).isGreaterThanOrEqualTo(0);
        assertThat(seen[0]).isEqualTo(Mode.FULL);
    }

    @Test
    void onlyRunsTheNamedBenchmarksAndRejectsAnUnknownName() {
        List<ReportBenchmark> all = List.of(benchmark("a", new Mode[1], null), benchmark("b", new Mode[1], null));
        assertThat(BenchmarkReport.select(all, Set.of("b"))).extracting(ReportBenchmark::id).containsExactly("b");
        assertThat(BenchmarkReport.select(all, Set.of())).hasSize(2);
        assertThatThrownBy(() -> BenchmarkReport.select(all, Set.of("c")))
                .hasMessageContaining("unknown benchmark c").hasMessageContaining("[a, b]");
    }

    @Test
    void theReportShowsMachineFiguresRatiosAndChartsAndReplacesChartsOfAnEarlierRun() throws IOException {
        Path charts = Files.createDirectories(repo.resolve("src/docs/benchmarks"));
        Files.writeString(charts.resolve("stale-chart.png"), "old");
        List<Section> sections = BenchmarkReport.runAll(List.of(benchmark("probes", new Mode[1], null),
                failing("gc", new IllegalStateException("no cgroup"))), Mode.QUICK);
        Machine machine = new Machine(2, 24_105, "Test CPU", "Test JDK 17", "Linux 6.18");

        BenchmarkReport.write(repo, sections, machine, Mode.QUICK, "benchmarks/run.sh --quick", "1.0 / 2.0 / 3.0",
                "4.0 / 5.0 / 6.0", ZonedDateTime.parse("2026-11-22T01:00:00Z"), 125);

        String md = Files.readString(repo.resolve("src/docs/benchmarks.md"));
        assertThat(md).contains("| cores | 2 |", "| memory | 24,105 MiB |", "Test CPU", "Test JDK 17", "Linux 6.18",
                "1.0 / 2.0 / 3.0", "4.0 / 5.0 / 6.0", "`benchmarks/run.sh --quick`", "| mode | quick |",
                "2026-11-22 01:00 UTC", "2.1 min");
        assertThat(md).contains("| probe latency (ms, lower is better) | Actuator (anchor) | 3 | 1,000 | 990 – 1,000 |");
        assertThat(md).contains("| probe latency (ms, lower is better) | readiness | 3 | 0.300 | 0.200 – 0.400 | 0.400 | ×0.000300 |");
        assertThat(md).contains("| throughput (requests/s, higher is better) | readiness | 2 | 100 | 90.0 – 110 |");
        assertThat(md).contains("Not run: failed: java.lang.IllegalStateException: no cgroup");
        assertThat(md).contains("| probe latency (ms) | Actuator: 1,000 | readiness: 0.300 | ×0.000300 | readiness |");
        assertThat(md).contains("![probe latency](benchmarks/probes-probe-latency.png)", "- a qualifying note");
        assertThat(charts.resolve("stale-chart.png")).doesNotExist();
        BufferedImage png = ImageIO.read(charts.resolve("probes-probe-latency.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(900);
        assertThat(charts.resolve("probes-throughput.png")).as("only charted comparisons are drawn").doesNotExist();
    }

    @Test
    void aChartWithAZeroMedianOrMinimumStillRenders() throws IOException {
        Comparison c = Comparison.lowerIsBetter("failed requests", "requests").anchor("Boot", List.of(40, 55))
                .variant("readiness", List.of(0, 0)).charted();
        Path png = repo.resolve("zero.png");
        Charts.write(c, png);
        assertThat(ImageIO.read(png.toFile())).isNotNull();
        Comparison log = Comparison.lowerIsBetter("reload", "ms").documentedAnchor("polling", 7500)
                .variant("readiness", List.of(0, 1, 2)).charted();
        Charts.write(log, png);
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void theWinnerFollowsTheDirectionOfTheFigure() {
        Comparison lower = Comparison.lowerIsBetter("x", "ms").anchor("a", List.of(10)).variant("ours", List.of(5));
        assertThat(MarkdownReport.better(lower, lower.series().get(0), lower.series().get(1))).isEqualTo("readiness");
        Comparison higher = Comparison.higherIsBetter("x", "1/s").anchor("a", List.of(10)).variant("ours", List.of(5));
        assertThat(MarkdownReport.better(higher, higher.series().get(0), higher.series().get(1))).isEqualTo("anchor");
        Comparison same = Comparison.higherIsBetter("x", "1/s").anchor("a", List.of(5)).variant("ours", List.of(5));
        assertThat(MarkdownReport.better(same, same.series().get(0), same.series().get(1))).isEqualTo("same");
    }

    @Test
    void numbersKeepThreeSignificantFiguresWithoutExponents() {
        assertThat(MarkdownReport.number(0)).isEqualTo("0");
        assertThat(MarkdownReport.number(0.000128)).isEqualTo("0.000128");
        assertThat(MarkdownReport.number(0.956)).isEqualTo("0.956");
        assertThat(MarkdownReport.number(1.234)).isEqualTo("1.23");
        assertThat(MarkdownReport.number(12.34)).isEqualTo("12.3");
        assertThat(MarkdownReport.number(12_345.6)).isEqualTo("12,346");
        assertThat(MarkdownReport.anchorLink("GC in 512 MiB: JDK defaults vs readiness-gc"))
                .isEqualTo("gc-in-512-mib-jdk-defaults-vs-readiness-gc");
    }

    @Test
    void machineFilesThatAreMissingOrMisshapenGiveUnknownNotAnError() throws IOException {
        assertThat(Machine.memTotalMiB(repo.resolve("missing"))).isEqualTo(-1);
        Path broken = Files.writeString(repo.resolve("meminfo"), "MemTotal: lots\n");
        assertThat(Machine.memTotalMiB(broken)).isEqualTo(-1);
        Path ok = Files.writeString(repo.resolve("meminfo2"), "MemTotal:       24683520 kB\nMemFree: 1 kB\n");
        assertThat(Machine.memTotalMiB(ok)).isEqualTo(24_105);
        assertThat(Machine.cpuModel(repo.resolve("missing"))).isEqualTo("unknown");
        Path cpu = Files.writeString(repo.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n");
        assertThat(Machine.cpuModel(cpu)).isEqualTo("Example CPU @ 2.0GHz");
        assertThat(Machine.cpuModel(Files.writeString(repo.resolve("cpu2"), "model name without colon\n")))
                .isEqualTo("unknown");
    }

    @Test
    void theRepositoryIsFoundFromASubfolderAndAFolderOutsideOneIsNamedInTheError() throws IOException {
        Files.createDirectories(repo.resolve("src/docs"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Path sub = Files.createDirectories(repo.resolve("benchmarks/target"));
        assertThat(BenchmarkReport.findRepository(sub)).isEqualTo(repo);
        Path outside = Files.createTempDirectory("no-repo");
        assertThatThrownBy(() -> BenchmarkReport.findRepository(outside)).hasMessageContaining(outside.toString())
                .hasMessageContaining("--root");
    }
}
