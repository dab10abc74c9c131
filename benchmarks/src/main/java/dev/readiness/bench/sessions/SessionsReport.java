package dev.readiness.bench.sessions;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report's sessions section: {@link SessionsBenchmark} rounds as repetitions, readiness sessions against
 * Spring Session Data Redis (the anchor) and the container's in-memory sessions.
 */
public final class SessionsReport implements ReportBenchmark {

    private static final List<String> VARIANTS = List.of("in-memory", "readiness", SessionsBenchmark.NEAR_CACHE,
            "spring-session");
    /** The target: readiness sessions reach at least this share of in-memory sessions' throughput. */
    static final double TARGET = 0.8;

    @Override
    public String id() {
        return "sessions";
    }

    @Override
    public String doc() {
        return "sessions.md";
    }

    @Override
    public String title() {
        return "Sessions vs in-memory and Spring Session Data Redis";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        Plan p = Plan.of(mode);
        String duration = p.duration();
        String warmup = p.warmup();
        int warmupRounds = p.warmupRounds();
        int rounds = p.rounds();
        List<List<SessionsBenchmark.Result>> measured = p.bench().measure(VARIANTS, warmupRounds, rounds);
        Section.Builder s = Section.builder(this).method("The same Spring Boot service (Tomcat) in one JVM with the "
                + "container's in-memory sessions, readiness sessions through the Spring Boot starter's auto-configuration "
                + "(defaults: near cache off; the management server on a free port, no drain, GC advice or ConfigMap "
                + "watch), readiness sessions with "
                + "`readiness.sessions.redis.near-cache.enabled=true`, and Spring Session Data Redis (the anchor), on one "
                + "real redis-server. Throughput: 16 client threads over 64 sessions for " + duration + " after "
                + warmup + " of warm-up per endpoint. Redis commands per request from `INFO commandstats`. Round trips: "
                + "a proxy delays every Redis reply by 40 ms; the median latency of 20 sequential requests with the "
                + "delay minus without it, over the delay. " + warmupRounds + " unreported round(s), then " + rounds
                + " measured rounds, each one repetition; the variants run one after the other within a round, each"
                + " round starting with the next variant. The warm-up round loads each variant and endpoint in"
                + " 1 s slices until the JIT is quiet (less than 50 ms of compilation in a slice; at most 6 s) and"
                + " measures nothing. The ratio to"
                + " in-memory sessions is paired: readiness over in-memory within the same round. CPU per request:"
                + " CPU time of the service's Tomcat and Lettuce threads (ThreadMXBean; not the load driver, JIT or"
                + " GC threads) plus redis-server's (/proc/<pid>/stat) over the measured phase, divided by the"
                + " requests; it depends much less on other load on the machine than requests per second do.");
        for (String endpoint : SessionsBenchmark.ENDPOINTS) {
            String what = SessionsBenchmark.describe(endpoint);
            s.add(compare("throughput, " + what, "requests/s", false, measured, endpoint,
                    SessionsBenchmark.Result::rps, true).charted());
            List<Double> ratios = pairedRatios(measured, "readiness", endpoint);
            List<Double> nearRatios = pairedRatios(measured, SessionsBenchmark.NEAR_CACHE, endpoint);
            s.add(Comparison.higherIsBetter("readiness sessions / in-memory throughput, " + what, "x")
                    .variant("readiness / in-memory, same round", ratios)
                    .variant("readiness, near cache on / in-memory, same round", nearRatios));
            if (!endpoint.equals("/session/untouched")) {
                s.note(targetNote(what, ratios));
                s.note(targetNote(what + ", near cache on", nearRatios));
            }
            s.add(compare("CPU per request (the service's Tomcat and Lettuce threads, plus redis-server), " + what, "µs",
                    true, measured, endpoint, SessionsBenchmark.Result::cpuMicros, true));
            s.add(compare("Redis commands per request, " + what, "commands", true, measured, endpoint,
                    SessionsBenchmark.Result::commandsPerRequest, false).charted());
            s.add(compare("Redis round trips per request, " + what, "round trips", true, measured, endpoint,
                    SessionsBenchmark.Result::roundTrips, false));
        }
        long errors = measured.stream().flatMap(List::stream).mapToLong(SessionsBenchmark.Result::errors).sum();
        s.note("failed requests over all measured rounds: " + errors);
        measured.get(measured.size() - 1).forEach(r -> s.note("last round, " + r.variant() + " " + r.endpoint()
                + ": Redis commands " + r.commandStats() + String.format(java.util.Locale.ROOT,
                "; CPU per request %.0f µs in the service's threads + %.0f µs in redis-server", r.serverCpuMicros(),
                r.redisCpuMicros())));
        return s.build();
    }

    /** How long and how often the report's sessions sections measure, in either mode. */
    record Plan(String duration, String warmup, int warmupRounds, int rounds, SessionsBenchmark bench) {

        static Plan of(Mode mode) {
            // One unreported round in either mode: without it the variant measured first runs on a cold JIT and
            // loses a factor of several to the others (882 against 4,199 requests/s for in-memory sessions).
            // Each measured instance gets a real warm-up too: with 1 s, the variant measured first in a round ran
            // at half its speed of the next round (shared code recompiled for the new mix of classes, we think).
            String duration = mode.pick(4, 8) + "s";
            String warmup = mode.pick(3, 4) + "s";
            return new Plan(duration, warmup, 1, mode.pick(2, 3), new SessionsBenchmark(Map.of("duration", duration,
                    "warmup", warmup, "threads", "16", "sessions", "64", "delay-ms", "40", "rt-requests", "20")));
        }
    }

    /** A readiness variant's throughput over in-memory throughput, one value per measured round. */
    static List<Double> pairedRatios(List<List<SessionsBenchmark.Result>> rounds, String variant, String endpoint) {
        return rounds.stream().map(round -> rps(round, variant, endpoint) / rps(round, "in-memory", endpoint))
                .toList();
    }

    /** Whether the target (readiness sessions at least 0.8x in-memory sessions) held in every round. */
    static String targetNote(String what, List<Double> ratios) {
        long met = ratios.stream().filter(r -> r >= TARGET).count();
        String list = ratios.stream().map(r -> String.format(java.util.Locale.ROOT, "%.2f", r))
                .collect(java.util.stream.Collectors.joining(", "));
        return what + ": readiness / in-memory throughput per round " + list + "; target >= " + TARGET + "x "
                + (met == ratios.size() ? "met in every round" : met == 0 ? "NOT met in any round"
                : "met in " + met + " of " + ratios.size() + " rounds only");
    }

    private static double rps(List<SessionsBenchmark.Result> round, String variant, String endpoint) {
        return round.stream().filter(r -> r.variant().equals(variant) && r.endpoint().equals(endpoint))
                .mapToDouble(SessionsBenchmark.Result::rps).findFirst()
                .orElseThrow(() -> new IllegalStateException("the sessions benchmark measured no " + variant + " "
                        + endpoint));
    }

    private static Comparison compare(String figure, String unit, boolean lower,
                                      List<List<SessionsBenchmark.Result>> rounds, String endpoint,
                                      ToDoubleFunction<SessionsBenchmark.Result> value, boolean withInMemory) {
        Comparison c = (lower ? Comparison.lowerIsBetter(figure, unit) : Comparison.higherIsBetter(figure, unit))
                .anchor("Spring Session Data Redis", values(rounds, "spring-session", endpoint, value))
                .variant("readiness sessions", values(rounds, "readiness", endpoint, value))
                .variant("readiness sessions, near cache on", values(rounds, SessionsBenchmark.NEAR_CACHE, endpoint,
                        value));
        return withInMemory ? c.variant("in-memory (no Redis)", values(rounds, "in-memory", endpoint, value)) : c;
    }

    /** One variant's figure for {@code endpoint}, one value per measured round. */
    static List<Double> values(List<List<SessionsBenchmark.Result>> rounds, String variant, String endpoint,
                                       ToDoubleFunction<SessionsBenchmark.Result> value) {
        List<Double> v = rounds.stream().flatMap(List::stream)
                .filter(r -> r.variant().equals(variant) && r.endpoint().equals(endpoint))
                .map(value::applyAsDouble).toList();
        if (v.isEmpty()) {
            throw new IllegalStateException("the sessions benchmark measured no " + variant + " " + endpoint);
        }
        return v;
    }
}
