package dev.readiness.bench.outage;

import dev.readiness.bench.outage.SharedOutageBenchmark.Figures;
import dev.readiness.bench.outage.SharedOutageBenchmark.Run;
import dev.readiness.bench.outage.SharedOutageBenchmark.Variant;
import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;
import dev.readiness.testkit.process.ForkedJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The shared Redis session store dies for every replica at once ({@link SharedOutageBenchmark}): readiness
 * sessions degraded ({@code readiness.sessions.redis.required=false}, the default) and required,
 * both {@code samples/spring-boot-service}, against Spring Boot Actuator with Spring Session Data Redis and Redis
 * in its readiness group (the anchor).
 */
public final class SharedOutageReport implements ReportBenchmark {

    static final String SAMPLE = Section.SPRING_BOOT_SAMPLE;

    private final Path repository;

    public SharedOutageReport(Path repository) {
        this.repository = repository;
    }

    @Override
    public String id() {
        return "shared-outage";
    }

    @Override
    public String title() {
        return "Shared Redis outage behind a load balancer: what two replicas serve while their session store is down";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        Path jar = repository.resolve(SAMPLE);
        if (!Files.isRegularFile(jar)) {
            return Section.noSampleJar(this);
        }
        int reps = mode.pick(1, 3);
        SharedOutageBenchmark bench = new SharedOutageBenchmark(jar, ForkedJvm.currentClasspath());
        Map<Variant, List<Run>> runs = new EnumMap<>(Variant.class);
        List<Variant> order = new ArrayList<>(List.of(Variant.values()));
        for (int rep = 1; rep <= reps; rep++) {
            for (Variant v : order) {
                Run run = bench.run(v, rep);
                runs.computeIfAbsent(v, k -> new ArrayList<>()).add(run);
                Figures f = Figures.of(run);
                System.out.printf(Locale.ROOT, "   repetition %d, %s: %s%n", rep, v.label, f);
            }
            Collections.rotate(order, -1); // no variant always first
        }
        Section.Builder s = Section.builder(this).method(method(reps));
        s.add(compare(Comparison.higherIsBetter("Redis down: no-session requests (GET /) answered 2xx", "%"), runs,
                Figures::noSessionOk).charted());
        s.add(compare(Comparison.lowerIsBetter("Redis down: session requests (GET /session/counter), p99 latency",
                "ms"), runs, Figures::sessionP99).charted());
        s.add(compare(Comparison.lowerIsBetter("Redis down: session requests the client gave up on after 5 s", "%"),
                runs, Figures::sessionTimedOut));
        s.add(compare(Comparison.lowerIsBetter("Redis down: requests the proxy answered 503 with no backend in"
                + " rotation", "% of all requests"), runs, Figures::proxy503));
        s.add(compare(Comparison.lowerIsBetter("Redis back: time to the first session request answered 2xx", "s"),
                runs, Figures::firstSessionOk).charted());
        s.add(compare(Comparison.lowerIsBetter("Redis back: HTTP 500 answers", "answers"), runs, Figures::http500));
        s.add(compare(Comparison.lowerIsBetter("Redis back: time until both replicas' readiness answers 200", "s"),
                runs, Figures::bothReady).charted());
        s.note("What the figures count. *Redis down* is from the SIGKILL to the restarted redis-server's first PING "
                + "answer, by the time each request was sent. No-session requests answered 2xx: of `GET /` requests "
                + "sent then, those that got a 2xx through the proxy. Session requests' p99: their latency, whatever "
                + "the answer (a fast 503 counts as fast; a request the client gave up on counts as 5,000 ms). The "
                + "proxy's own 503 (no backend in rotation) is told apart from a replica's by the missing "
                + "`X-Backend` header. *Redis back* is from that first PING answer to the end of the run: the first "
                + "2xx answer received on the session route, the 500 answers received, and the time after which both "
                + "replicas' readiness endpoints, polled directly every 100 ms (1 s timeout), answered only 200 (0 "
                + "when they never stopped). A figure that did not happen before the end of the run counts as the "
                + "whole " + SharedOutageBenchmark.AFTER.toSeconds() + " s, and a note below says so.");
        for (Variant v : Variant.values()) {
            List<Run> rs = runs.get(v);
            for (Run r : rs) {
                Figures f = Figures.of(r);
                if (!f.sessionServedAgain()) {
                    s.note(v.label + ", repetition " + r.repetition() + ": no session request was answered 2xx in "
                            + "the " + SharedOutageBenchmark.AFTER.toSeconds() + " s after Redis returned.");
                }
                if (!f.readyAgain()) {
                    s.note(v.label + ", repetition " + r.repetition() + ": a replica's readiness did not answer 200 "
                            + "for good before the end of the run.");
                }
            }
            s.note(details(rs));
        }
        return s.build();
    }

    private static String method(int reps) {
        return "Two replicas of each variant, each its own JVM (default options), behind one load balancer "
                + "(testkit's `WeightedProxy`: HTTP/1.1 on loopback, round robin with equal weights and no affinity, "
                + "health checks like HAProxy's `option httpchk` against each replica's readiness endpoint with "
                + "`inter 1s fall 2 rise 1`, a check timing out after 1 s, `timeout server 30s`; no backend in "
                + "rotation is the proxy's own 503), one real redis-server (the one embedded-redis ships) shared by "
                + "both. Variants: readiness' `samples/spring-boot-service` (the starter's defaults: "
                + "`command-timeout=2s`, checks every 5 s, `recovery-interval=1s`, `connection-grace=1s`, "
                + "`reconnect-max-delay=1s`) with `readiness.sessions.redis.required=false` (the default: sessions "
                + "degraded, `/readyz` stays 200 and a request that needs its session answers 503) and with "
                + "`readiness.sessions.redis.required=true` (the `redis-sessions` check gates `/readyz`), the proxy "
                + "checking `/readyz` on "
                + "the management port; and the anchor, Spring Boot with Actuator and Spring Session Data Redis "
                + "(`@EnableRedisHttpSession`, Boot's Lettuce connection with its defaults) serving the same `GET /` "
                + "and `GET /session/counter`, with `management.endpoint.health.probes.enabled=true` and "
                + "`management.endpoint.health.group.readiness.include=readinessState,redis`, the proxy checking "
                + "`/actuator/health/readiness` on its management port. Load: " + SharedOutageBenchmark.USERS
                + " users, each with its own cookies and kept-alive connection, alternating `GET /` (no session) and "
                + "`GET /session/counter` (reads and writes the session), one request at a time, "
                + SharedOutageBenchmark.RATE + " requests/s in total (a slot missed while waiting is skipped); the "
                + "client gives up after " + SharedOutageBenchmark.CLIENT_TIMEOUT.toSeconds() + " s and never "
                + "retries. Each run: both replicas started and in rotation, " + SharedOutageBenchmark.WARMUP.toSeconds()
                + " s of load, then redis-server SIGKILLed, started again " + SharedOutageBenchmark.OUTAGE.toSeconds()
                + " s later on the same port (empty: it keeps nothing, so every session starts over), and "
                + SharedOutageBenchmark.AFTER.toSeconds() + " s more of load. " + reps + " repetition(s) per variant, "
                + "fresh processes and Redis for each, interleaved. What readiness sessions do while Redis is down: "
                + "[sessions.md](sessions.md), *Redis unavailable*.";
    }

    private static Comparison compare(Comparison c, Map<Variant, List<Run>> runs, ToDoubleFunction<Figures> f) {
        Comparison out = c;
        for (Variant v : List.of(Variant.DEGRADED, Variant.REQUIRED)) {
            out = out.variant(v.label, values(runs.get(v), f));
        }
        return out.anchor(Variant.ANCHOR.label, values(runs.get(Variant.ANCHOR), f));
    }

    private static List<Double> values(List<Run> runs, ToDoubleFunction<Figures> f) {
        return runs.stream().map(Figures::of).mapToDouble(f).boxed().toList();
    }

    /** The last repetition of a variant in words: what each route got, readiness, the proxy's rotation. */
    private static String details(List<Run> runs) {
        Run r = runs.get(runs.size() - 1);
        List<OutageUsers.Request> down = r.requests().stream()
                .filter(q -> q.sent() >= r.kill() && q.sent() < r.back()).toList();
        List<OutageUsers.Request> after = r.requests().stream().filter(q -> q.sent() >= r.back()).toList();
        StringBuilder b = new StringBuilder(r.variant().label).append(", repetition ").append(r.repetition())
                .append(" (the last). Redis down ")
                .append(String.format(Locale.ROOT, "%.1f s", (r.back() - r.kill()) / 1e9)).append(": GET / ")
                .append(SharedOutageBenchmark.breakdown(down.stream().filter(q -> !q.session()).toList()))
                .append("; GET /session/counter ")
                .append(SharedOutageBenchmark.breakdown(down.stream().filter(OutageUsers.Request::session).toList()))
                .append(". Redis back: GET / ")
                .append(SharedOutageBenchmark.breakdown(after.stream().filter(q -> !q.session()).toList()))
                .append("; GET /session/counter ")
                .append(SharedOutageBenchmark.breakdown(after.stream().filter(OutageUsers.Request::session).toList()))
                .append(". Readiness, polled directly (times from the kill; Redis back at ")
                .append(String.format(Locale.ROOT, "%+.1f s", (r.back() - r.kill()) / 1e9)).append("): ");
        for (int i = 0; i < r.polls().size(); i++) {
            b.append(i == 0 ? "" : "; ").append("replica ").append((char) ('a' + i)).append(' ')
                    .append(SharedOutageBenchmark.readinessWindow(r.polls().get(i), r.kill()));
        }
        List<String> rotation = r.events().stream().filter(e -> e.startsWith("+") && (e.contains(" down ") || e.contains(" up "))).toList();
        b.append(". The proxy's rotation: ").append(rotation.isEmpty() ? "no change" : String.join("; ", rotation));
        long errors = runs.stream().mapToLong(Run::errorLines).sum();
        b.append(". ERROR lines in the replicas' output over all repetitions: ").append(errors);
        runs.stream().map(Run::errorSample).filter(x -> !x.isEmpty()).findFirst()
                .ifPresent(x -> b.append(" (the first: `").append(x.replace('`', '\'')).append("`)"));
        return b.append('.').toString();
    }
}
