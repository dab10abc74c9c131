package dev.readiness.bench.report;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Writes the report as Markdown: the command, the machine, a summary, then one section per benchmark. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    /**
     * @param chartDir the charts' folder relative to the Markdown file, e.g. {@code benchmarks}
     */
    static String render(List<Section> sections, Machine machine, Mode mode, String command, String loadStart,
                         String loadEnd, ZonedDateTime started, double totalSeconds, String chartDir) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks: readiness against what you use today\n\n");
        md.append("Every figure below was measured in one run of the command below, on one machine, with readiness and its\n")
                .append("anchor side by side (Spring Boot Actuator, Spring Session Data Redis, Spring Boot graceful shutdown, the\n")
                .append("JDK's defaults, a plain Spring Boot service). Each row is the median of its repetitions, with the\n")
                .append("smallest and largest repetition as the spread and the ratio of medians to the anchor. This page is\n")
                .append("written by the report runner; do not edit it by hand, re-run it.\n\n");
        md.append("## Re-run\n\n```\n").append("benchmarks/run.sh --quick   # a smoke run of a few minutes\n")
                .append("benchmarks/run.sh --full    # the figures: more repetitions, longer runs\n")
                .append("benchmarks/run.sh --quick --only drain,reload   # some benchmarks only\n```\n\n")
                .append("`run.sh` builds `benchmarks/target/readiness-benchmarks.jar` with its dependencies (and the samples) ")
                .append("and runs `java -jar benchmarks/target/readiness-benchmarks.jar`, which writes `src/docs/benchmarks.md` and ")
                .append("`src/docs/benchmarks/*.png`. The GC benchmark needs root and a cgroup v1 memory controller; the ")
                .append("others need only a JDK 17 and Maven (Redis comes from a Maven test dependency). A benchmark that ")
                .append("cannot run on the machine, or fails, gets a section that says why; the others still run.\n\n")
                .append("Adding a benchmark: implement `dev.readiness.bench.report.ReportBenchmark` (an id, a title, ")
                .append("`run(Mode)` returning a `Section` of `Comparison`s, each an anchor and variants with one value per ")
                .append("repetition) by calling into the capability's own harness, and list it in `Benchmarks.all`.\n\n");
        md.append("## This run\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| command | `").append(command).append("` |\n");
        md.append("| mode | ").append(mode.name().toLowerCase(Locale.ROOT)).append(" |\n");
        md.append("| started | ").append(started.withZoneSameInstant(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(" |\n");
        md.append("| took | ").append(duration(totalSeconds)).append(" |\n");
        md.append("| cores | ").append(machine.cores()).append(" |\n");
        md.append("| memory | ").append(machine.memoryMiB() < 0 ? "unknown" : String.format(Locale.ROOT, "%,d MiB",
                machine.memoryMiB())).append(" |\n");
        md.append("| CPU | ").append(machine.cpu()).append(" |\n");
        md.append("| JDK | ").append(machine.jdk()).append(" |\n");
        md.append("| kernel | ").append(machine.kernel()).append(" |\n");
        md.append("| load average (1 / 5 / 15 min) at start | ").append(loadStart).append(" |\n");
        md.append("| load average (1 / 5 / 15 min) at end | ").append(loadEnd).append(" |\n\n");
        md.append("A load average above the number of cores means other processes competed for the CPU during the run:\n")
                .append("latencies then include scheduling delay, and tails and spreads grow. Ratios measured in the same\n")
                .append("run are the figures to read; absolute numbers vary with the machine.\n\n");

        md.append("## Summary\n\nThe charted figures, readiness against its anchor (every variant is in the sections below).\n\n")
                .append("| benchmark | figure | anchor | readiness | ratio | better |\n|---|---|---|---|---|---|\n");
        for (Section s : sections) {
            String link = "[" + s.title() + "](#" + anchorLink(s.title()) + ")";
            if (s.notRun() != null) {
                md.append("| ").append(link).append(" | not run: ").append(cell(s.notRun())).append(" | | | | |\n");
                continue;
            }
            for (Comparison c : s.comparisons()) {
                if (!c.chart() || c.anchorSeries().isEmpty()) {
                    continue;
                }
                Series a = c.anchorSeries().get();
                // the first variant is readiness; others (in-memory, the CLI alone) are context for the sections
                c.series().stream().filter(v -> !v.anchor()).findFirst().ifPresent(v -> md.append("| ").append(link)
                        .append(" | ").append(cell(c.figure())).append(" (").append(c.unit()).append(") | ")
                        .append(cell(a.variant())).append(": ").append(number(a.stats().median())).append(" | ")
                        .append(cell(v.variant())).append(": ").append(number(v.stats().median())).append(" | ")
                        .append(ratio(c.ratioToAnchor(v))).append(" | ").append(better(c, a, v)).append(" |\n"));
            }
        }
        md.append('\n');

        for (Section s : sections) {
            md.append("## ").append(s.title()).append("\n\n");
            if (s.notRun() != null) {
                md.append("Not run: ").append(s.notRun()).append("\n\n");
                continue;
            }
            if (!s.method().isBlank()) {
                md.append(s.method());
                if (s.doc() != null) {
                    md.append(" Harness, method and discussion: [").append(s.doc()).append("](").append(s.doc())
                            .append(").");
                }
                md.append("\n\n");
            }
            md.append(String.format(Locale.ROOT, "Took %s; 1-minute load average %.1f at its start, %.1f at its end.%n%n",
                    duration(s.seconds()), s.loadBefore(), s.loadAfter()));
            md.append("| figure | variant | n | median | min – max | p90 | ratio to anchor |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (Comparison c : s.comparisons()) {
                for (Series v : c.series()) {
                    Stats st = v.stats();
                    md.append("| ").append(cell(c.figure())).append(" (").append(c.unit()).append(", ")
                            .append(c.better() == Better.LOWER ? "lower" : "higher").append(" is better) | ")
                            .append(cell(v.variant())).append(v.anchor() ? " (anchor" + (v.measured() ? ")"
                                    : ", documented, not measured)") : "").append(" | ")
                            .append(st.n()).append(" | ").append(number(st.median())).append(" | ")
                            .append(number(st.min())).append(" – ").append(number(st.max())).append(" | ")
                            .append(number(st.p90())).append(" | ")
                            .append(v.anchor() ? "1" : ratio(c.ratioToAnchor(v))).append(" |\n");
                }
            }
            md.append('\n');
            for (Comparison c : s.comparisons()) {
                if (c.chart()) {
                    md.append("![").append(c.figure()).append("](").append(chartDir).append('/')
                            .append(Charts.fileName(s, c)).append(")\n\n");
                }
            }
            for (String note : s.notes()) {
                md.append("- ").append(note).append('\n');
            }
            if (!s.notes().isEmpty()) {
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** Three significant figures at most, grouped thousands, no exponent: 0.0123, 1.23, 12.3, 1,234. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        int decimals = Math.min(6, 2 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Which of the two medians wins in the comparison's direction; "same" when they are equal. */
    static String better(Comparison c, Series anchor, Series variant) {
        double a = anchor.stats().median();
        double v = variant.stats().median();
        if (a == v) {
            return "same";
        }
        return (c.better() == Better.LOWER) == (v < a) ? "readiness" : "anchor";
    }

    static String ratio(OptionalDouble r) {
        return r.isPresent() ? "×" + number(r.getAsDouble()) : "–";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String duration(double seconds) {
        return seconds >= 120 ? String.format(Locale.ROOT, "%.1f min", seconds / 60)
                : String.format(Locale.ROOT, "%.0f s", seconds);
    }

    /** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
    static String anchorLink(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
