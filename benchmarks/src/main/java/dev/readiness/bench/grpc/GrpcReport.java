package dev.readiness.bench.grpc;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;
import dev.readiness.grpc.GrpcSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * gRPC: rolling restarts ({@link GrpcRollingRestart}), rebalancing behind an L4 balancer ({@link GrpcRebalance})
 * and health {@code Check} latency while a dependency hangs ({@link GrpcHealthLatency}), each against its anchor
 * in the same run.
 */
public final class GrpcReport implements ReportBenchmark {

    @Override
    public String id() {
        return "grpc";
    }

    @Override
    public String title() {
        return "gRPC: rolling restarts, rebalancing behind an L4 Service, health while a dependency hangs";
    }

    @Override
    public String doc() {
        return "grpc.md";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        int rounds = mode.pick(2, 10);
        GrpcRollingRestart.Settings settings = new GrpcRollingRestart.Settings(rounds * 2, 100, 8, Duration.ofSeconds(1),
                Duration.ofSeconds(3), false);
        Section.Builder section = Section.builder(this);
        GrpcRollingRestart.Result plain = GrpcRollingRestart.run("plain", settings);
        GrpcRollingRestart.Result ours = GrpcRollingRestart.run("readiness", settings);
        section.note("rolling restarts, plain grpc-java: " + plain.summary());
        section.note("rolling restarts, readiness: " + ours.summary());

        GrpcSettings age = GrpcSettings.builder().maxConnectionAge(Duration.ofSeconds(5))
                .maxConnectionAgeGrace(Duration.ofSeconds(2)).build();
        List<Double> defaultsShare = new ArrayList<>();
        List<Double> oursShare = new ArrayList<>();
        List<Double> oursFailed = new ArrayList<>();
        List<Double> defaultsFailed = new ArrayList<>();
        for (int i = 0; i < mode.pick(1, 3); i++) {
            GrpcRebalance.Result d = GrpcRebalance.run(null, 8);
            GrpcRebalance.Result r = GrpcRebalance.run(age, 8);
            defaultsShare.add(d.minShareOfAddedServers() * 100);
            oursShare.add(r.minShareOfAddedServers() * 100);
            defaultsFailed.add((double) d.failed());
            oursFailed.add((double) r.failed());
            section.note(String.format(Locale.ROOT, "rebalancing run %d, grpc-java defaults: %s", i + 1, d.summary()));
            section.note(String.format(Locale.ROOT, "rebalancing run %d, readiness: %s", i + 1, r.summary()));
        }

        int probes = mode.pick(300, 1000);
        GrpcHealthLatency.Result floor = GrpcHealthLatency.run(false, probes, 100);
        GrpcHealthLatency.Result health = GrpcHealthLatency.run(true, probes, 100);
        section.note("health Check, fixed-status floor: " + floor.summary());
        section.note("health Check, readiness with Redis hung: " + health.summary());

        return section
                .method("Rolling restarts: two server processes on loopback, one client channel with `round_robin` "
                        + "over both and client-side health checking (service \"\"), 100 unary calls/s (one in ten "
                        + "sleeps 100 to 1,000 ms) each sent once, and 8 open server streams (4 of 0.5 to 2 s, 4 "
                        + "subscriptions that never end by themselves); " + rounds + " rounds of SIGTERM, exit, restart "
                        + "on the same port, wait until the client sends it calls, for each server. readiness: "
                        + "`RegistryHealthService` and `GrpcDrain` (propagation delay 1 s, drain timeout 3 s); anchor: "
                        + "grpc-java's `HealthStatusManager` and a shutdown hook with `shutdown()` + "
                        + "`awaitTermination(3 s)`. A stream ends cleanly with OK or with the drain's own UNAVAILABLE "
                        + "\"server draining: ...\". Rebalancing: one server behind testkit's round-robin `TcpProxy` "
                        + "(kube-proxy's part), 8 long-lived pick_first channels at 10 calls/s each, then two servers "
                        + "added; the smaller share of the two added servers in the 5 s up to max-connection-age x 1.1 "
                        + "+ grace + 10 s (17.5 s) after they were added, readiness with max-connection-age 5 s and "
                        + "grace 2 s against grpc-java's defaults. Health latency: `Check(\"readiness\")` on a new "
                        + "connection per probe, 100 probes/s, 1 s deadline, while the Redis of a required readiness "
                        + "check (every 1 s, 500 ms timeout) is SIGSTOPped, against grpc-java's `HealthStatusManager` "
                        + "answering a fixed status (the floor: no check at all).")
                .add(Comparison.lowerIsBetter("rolling restarts: failed unary calls, " + rounds * 2 + " restarts", "calls")
                        .anchor("plain grpc-java shutdown + awaitTermination", List.of((double) plain.unaryFailed()))
                        .variant("readiness GrpcDrain", List.of((double) ours.unaryFailed())))
                .add(Comparison.lowerIsBetter("rolling restarts: streams ended unclean, " + rounds * 2 + " restarts", "streams")
                        .anchor("plain grpc-java shutdown + awaitTermination", List.of((double) plain.streamsUnclean()))
                        .variant("readiness GrpcDrain", List.of((double) ours.streamsUnclean())).charted())
                .add(Comparison.higherIsBetter("rebalancing: smaller share of the two added servers", "% of calls")
                        .anchor("grpc-java defaults", defaultsShare)
                        .variant("readiness max-connection-age 5 s", oursShare).charted())
                .add(Comparison.lowerIsBetter("rebalancing: failed calls per run", "calls")
                        .anchor("grpc-java defaults", defaultsFailed)
                        .variant("readiness max-connection-age 5 s", oursFailed))
                .add(Comparison.lowerIsBetter("health Check p50, Redis hung", "ms")
                        .anchor("grpc-java HealthStatusManager, fixed status (floor)", List.of(floor.p50()))
                        .variant("readiness RegistryHealthService", List.of(health.p50())))
                .add(Comparison.lowerIsBetter("health Check p99, Redis hung", "ms")
                        .anchor("grpc-java HealthStatusManager, fixed status (floor)", List.of(floor.p99()))
                        .variant("readiness RegistryHealthService", List.of(health.p99())).charted())
                .note("The anchor's exit status is 143 (killed by SIGTERM, the JVM's default); readiness exits 0.")
                .build();
    }
}
