package dev.readiness.bench.sessions;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What mirror mode and the comparison of values changed in place cost: {@link SessionsBenchmark} rounds with
 * readiness sessions in redis mode (the anchor: the defaults, {@code save-mode=changed}), in mirror mode, and in
 * redis mode with {@code save-mode=set} (no comparison), over a write, a read, and a read of a mutable value (a
 * ten-item list: the one the comparison encodes again).
 */
public final class MirrorModeReport implements ReportBenchmark {

    private static final List<String> VARIANTS = List.of("readiness", SessionsBenchmark.MIRROR,
            SessionsBenchmark.SAVE_SET);

    @Override
    public String id() {
        return "sessions-mirror";
    }

    @Override
    public String doc() {
        return "sessions.md";
    }

    @Override
    public String title() {
        return "Sessions: mirror mode and changes saved in place, what they cost";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        SessionsReport.Plan p = SessionsReport.Plan.of(mode);
        String duration = p.duration();
        String warmup = p.warmup();
        int warmupRounds = p.warmupRounds();
        int rounds = p.rounds();
        List<List<SessionsBenchmark.Result>> measured = p.bench().measure(VARIANTS, SessionsBenchmark.MIRROR_ENDPOINTS,
                warmupRounds, rounds);
        Section.Builder s = Section.builder(this).method("The sessions benchmark's service and method (see the"
                + " sessions section: Tomcat through the Spring Boot starter, one real redis-server, 16 client threads"
                + " over 64 sessions for " + duration + " after " + warmup + " of warm-up per endpoint, "
                + warmupRounds + " unreported round, then " + rounds + " measured rounds, round trips through a proxy"
                + " delaying every Redis reply by 40 ms) with three configurations of readiness sessions: redis mode"
                + " with the defaults (`save-mode=changed`, the anchor), `readiness.sessions.mode=mirror` (the old"
                + " fleet during a cut-over: Redis read and written as in redis mode, and a copy kept in Tomcat's"
                + " session), and redis mode with `readiness.sessions.save-mode=set` (values read are not compared)."
                + " `GET /session/cart` reads a ten-item `ArrayList` kept in the session and changes nothing: the"
                + " default encodes it again at the end of the request and compares the bytes; `save-mode=set`"
                + " does not.");
        for (String endpoint : SessionsBenchmark.MIRROR_ENDPOINTS) {
            String what = SessionsBenchmark.describe(endpoint);
            s.add(compare("throughput, " + what, "requests/s", false, measured, endpoint,
                    SessionsBenchmark.Result::rps).charted());
            s.add(compare("CPU per request (the service's Tomcat and Lettuce threads, plus redis-server), " + what,
                    "µs", true, measured, endpoint, SessionsBenchmark.Result::cpuMicros).charted());
            s.add(compare("Redis commands per request, " + what, "commands", true, measured, endpoint,
                    SessionsBenchmark.Result::commandsPerRequest));
            s.add(compare("Redis round trips per request, " + what, "round trips", true, measured, endpoint,
                    SessionsBenchmark.Result::roundTrips));
        }
        long errors = measured.stream().flatMap(List::stream).mapToLong(SessionsBenchmark.Result::errors).sum();
        s.note("failed requests over all measured rounds: " + errors);
        measured.get(measured.size() - 1).forEach(r -> s.note("last round, " + r.variant() + " " + r.endpoint()
                + ": Redis commands " + r.commandStats() + String.format(java.util.Locale.ROOT,
                "; CPU per request %.0f µs in the service's threads + %.0f µs in redis-server", r.serverCpuMicros(),
                r.redisCpuMicros())));
        return s.build();
    }

    private static Comparison compare(String figure, String unit, boolean lower,
                                      List<List<SessionsBenchmark.Result>> rounds, String endpoint,
                                      ToDoubleFunction<SessionsBenchmark.Result> value) {
        return (lower ? Comparison.lowerIsBetter(figure, unit) : Comparison.higherIsBetter(figure, unit))
                .anchor("redis mode, save-mode=changed (the defaults)", SessionsReport.values(rounds, "readiness", endpoint, value))
                .variant("mirror mode", SessionsReport.values(rounds, SessionsBenchmark.MIRROR, endpoint, value))
                .variant("redis mode, save-mode=set", SessionsReport.values(rounds, SessionsBenchmark.SAVE_SET, endpoint, value));
    }
}
