package dev.readiness.bench.report;

import dev.readiness.bench.drain.RollingRestartBenchmark;
import dev.readiness.testkit.rolling.RollingRestart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Rolling restarts under load ({@link RollingRestartBenchmark}): Spring Boot graceful shutdown against the drain. */
final class DrainReport implements ReportBenchmark {

    static final String PROPAGATION_DELAY = "5s";

    @Override
    public String id() {
        return "drain";
    }

    @Override
    public String doc() {
        return "drain.md";
    }

    @Override
    public String title() {
        return "Rolling restart: failed requests and shutdown time";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        int runs = mode.pick(2, 3);
        int restarts = mode.pick(2, 6);
        int rate = 100;
        RollingRestart.Settings settings = new RollingRestart.Settings(restarts, rate, 10, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 2, Duration.ofSeconds(60), false);
        List<Double> bootFailed = new ArrayList<>();
        List<Double> oursFailed = new ArrayList<>();
        List<Double> bootShutdown = new ArrayList<>();
        List<Double> oursShutdown = new ArrayList<>();
        Section.Builder section = Section.builder(this);
        // interleaved, so both targets see the same noise from the rest of the machine
        for (int i = 0; i < runs; i++) {
            for (String target : List.of("boot", "readiness")) {
                RollingRestart.Result r = RollingRestartBenchmark.run(target, settings, PROPAGATION_DELAY);
                boolean boot = target.equals("boot");
                (boot ? bootFailed : oursFailed).add((double) r.failed() / r.restarts().size());
                r.restarts().forEach(x -> (boot ? bootShutdown : oursShutdown).add((double) x.shutdown().toMillis()));
                section.note(String.format(Locale.ROOT, "run %d, %s: %s", i + 1,
                        boot ? "Spring Boot graceful shutdown" : "readiness drain", r.summary()));
            }
        }
        return section
                .method("Two instances behind a proxy that takes an instance out of rotation after two failed "
                        + "readiness checks at a 1 s interval (as a Service's endpoints lag a pod's readiness), "
                        + rate + " requests/s with one in ten slow (up to 1 s), and per restart a replacement started, "
                        + "then a real SIGTERM to the old instance. " + runs + " run(s) of " + restarts + " restarts per "
                        + "variant, interleaved. Failed requests: one value per run (failed requests / restarts); "
                        + "shutdown: one value per restart, SIGTERM to process exit. The anchor is Spring Boot 4.1 with "
                        + "`server.shutdown=graceful` and Actuator's readiness probe, no preStop hook; readiness is "
                        + "embedded Tomcat with its drain (propagation delay " + PROPAGATION_DELAY + ").")
                .add(Comparison.lowerIsBetter("failed requests per restart", "requests")
                        .anchor("Spring Boot graceful shutdown", bootFailed)
                        .variant("readiness drain", oursFailed).charted())
                .add(Comparison.lowerIsBetter("shutdown time, SIGTERM to exit", "ms")
                        .anchor("Spring Boot graceful shutdown", bootShutdown)
                        .variant("readiness drain", oursShutdown).charted())
                .note("The drain's shutdown is longer on purpose: it keeps serving for the propagation delay while "
                        + "endpoints are updated, which is what keeps its failed requests down; it must fit the "
                        + "termination grace period (30 s by default).")
                .build();
    }
}
