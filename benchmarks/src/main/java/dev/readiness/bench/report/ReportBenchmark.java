package dev.readiness.bench.report;

/**
 * One benchmark of the report: it runs its harness in the given mode and returns figures side by side with
 * their anchor. Implementations call into the capability's own harness rather than measuring again.
 */
public interface ReportBenchmark {

    /** Short name for {@code --only} and chart files, e.g. {@code drain}. */
    String id();

    /** The section heading. */
    String title();

    /** The capability's own doc under {@code src/docs/} (harness, method, earlier figures), or null. */
    default String doc() {
        return null;
    }

    /**
     * Measures. Returns {@link Section#notRun} when the machine cannot run it (says why); an exception is
     * reported as a failure of this benchmark and the others still run.
     */
    Section run(Mode mode) throws Exception;
}
