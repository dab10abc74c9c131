package dev.readiness.bench.report;

import java.util.List;

/** The report's benchmarks, in the order the report shows them. */
final class Benchmarks {

    private Benchmarks() {
    }

    static List<ReportBenchmark> all(java.nio.file.Path repository) {
        return List.of(new dev.readiness.bench.probes.ProbesReport(),
                new dev.readiness.bench.sessions.SessionsReport(),
                new dev.readiness.bench.sessions.MirrorModeReport(),
                new dev.readiness.bench.outage.SharedOutageReport(repository), new DrainReport(), new ReloadReport(),
                new GcReport(), new ContainerGcReport(repository), new ListenReport(),
                new dev.readiness.bench.grpc.GrpcReport(), new dev.readiness.bench.scaling.ScalingReport(),
                new dev.readiness.bench.startup.StartupReport(repository));
    }
}
