package dev.readiness.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one benchmark reports: its comparisons, notes that qualify them, and the machine's load while it ran.
 * A benchmark that could not run here (no cgroup, no sample jar) or failed still gets a section that says why,
 * so the report never hides a figure by leaving it out.
 *
 * @param id          short name, used by {@code --only} and in chart file names
 * @param title       the heading
 * @param doc         the capability's doc under {@code src/docs/}, or null
 * @param method      how it was measured, in a sentence or two
 * @param comparisons the figures
 * @param notes       what qualifies the figures (exit codes, failure kinds, targets met or not)
 * @param notRun      why the benchmark did not run or failed; null when it ran
 * @param seconds     how long it took
 * @param loadBefore  the 1-minute load average when it started
 * @param loadAfter   the 1-minute load average when it ended
 */
public record Section(String id, String title, String doc, String method, List<Comparison> comparisons,
                      List<String> notes, String notRun, double seconds, double loadBefore, double loadAfter) {

    public Section {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        comparisons = List.copyOf(comparisons);
        notes = List.copyOf(notes);
    }

    public static Builder builder(ReportBenchmark benchmark) {
        return new Builder(benchmark.id(), benchmark.title(), benchmark.doc());
    }

    /** A section for a benchmark that did not run here, with the reason. */
    public static Section notRun(ReportBenchmark benchmark, String reason) {
        return new Section(benchmark.id(), benchmark.title(), benchmark.doc(), "", List.of(), List.of(), reason, 0,
                Double.NaN, Double.NaN);
    }

    /** The Spring Boot sample's jar, as run.sh builds it, relative to the repository. */
    public static final String SPRING_BOOT_SAMPLE = "samples/spring-boot-service/target/spring-boot-service.jar";

    /** The section of a benchmark that needs the Spring Boot sample's jar when it has not been built. */
    public static Section noSampleJar(ReportBenchmark benchmark) {
        return notRun(benchmark, "no sample jar at " + SPRING_BOOT_SAMPLE + "; build it with "
                + "`mvn -B -q -pl samples/spring-boot-service -am package -DskipTests` (run.sh does)");
    }

    Section timed(double seconds, double loadBefore, double loadAfter) {
        return new Section(id, title, doc, method, comparisons, notes, notRun, seconds, loadBefore, loadAfter);
    }

    /** Collects a benchmark's figures as it measures them. */
    public static final class Builder {
        private final String id;
        private final String title;
        private final String doc;
        private String method = "";
        private final List<Comparison> comparisons = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String id, String title, String doc) {
            this.id = id;
            this.title = title;
            this.doc = doc;
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder add(Comparison comparison) {
            comparisons.add(comparison);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public Section build() {
            return new Section(id, title, doc, method, comparisons, notes, null, 0, Double.NaN, Double.NaN);
        }
    }
}
