package dev.readiness.bench.outage;

import dev.readiness.bench.outage.OutageUsers.Request;
import dev.readiness.bench.outage.ReadinessPoller.Poll;
import dev.readiness.bench.outage.SharedOutageBenchmark.Figures;
import dev.readiness.bench.outage.SharedOutageBenchmark.Run;
import dev.readiness.bench.outage.SharedOutageBenchmark.Variant;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SharedOutageBenchmarkTest {

    private static final long S = 1_000_000_000L;
    private static final long KILL = 5 * S;
    private static final long BACK = 15 * S;
    private static final long END = 30 * S;

    @TempDir
    Path repo;

    private static Request plain(double sent, double latency, int status, boolean byProxy) {
        return new Request(0, (long) (sent * S), (long) ((sent + latency) * S), false, status, byProxy, 0);
    }

    private static Request session(double sent, double latency, int status, boolean byProxy) {
        return new Request(1, (long) (sent * S), (long) ((sent + latency) * S), true, status, byProxy,
                status == 200 ? 1 : 0);
    }

    private static List<Poll> polls(double... downFromTo) {
        List<Poll> polls = new java.util.ArrayList<>();
        for (double t = 0; t < 30; t += 0.5) {
            boolean down = false;
            for (int i = 0; i < downFromTo.length; i += 2) {
                down |= t >= downFromTo[i] && t < downFromTo[i + 1];
            }
            polls.add(new Poll((long) (t * S), !down));
        }
        return polls;
    }

    private static Run run(List<Request> requests, List<List<Poll>> polls) {
        return new Run(Variant.REQUIRED, 1, KILL, BACK, END, requests, polls, List.of(), 0, "");
    }

    @Test
    void theOutageFiguresCountRequestsByWhenTheyWereSentAndTellTheProxysOwn503Apart() {
        Figures f = Figures.of(run(List.of(
                plain(1, 0.01, 200, false), // warm-up: not counted
                plain(6, 0.01, 200, false), plain(7, 0.01, 503, true), plain(8, 5, OutageUsers.TIMEOUT, false),
                plain(9, 0.01, 200, false),
                session(6, 0.02, 503, false), session(7, 5, OutageUsers.TIMEOUT, false), session(8, 0.01, 503, true),
                session(14.9, 0.5, 200, false), // sent while down, answered after Redis returned
                session(16, 0.01, 500, false), plain(16, 0.01, 200, false)),
                List.of(polls(7, 17), polls(6, 18))));
        assertThat(f.noSessionOk()).isEqualTo(50);
        assertThat(f.sessionTimedOut()).isEqualTo(25);
        assertThat(f.sessionP99()).isCloseTo(5000, within(1.0));
        assertThat(f.proxy503()).isCloseTo(100.0 * 2 / 8, within(1e-9));
        assertThat(f.firstSessionOk()).isCloseTo(0.4, within(1e-6));
        assertThat(f.sessionServedAgain()).isTrue();
        assertThat(f.http500()).isEqualTo(1);
        assertThat(f.bothReady()).isCloseTo(3, within(1e-6));
        assertThat(f.readyAgain()).isTrue();
    }

    @Test
    void aReplicaThatNeverLeftCountsZeroAndOneThatNeverCameBackCountsTheWholeWindow() {
        Figures never = Figures.of(run(List.of(session(6, 0.01, 503, false)), List.of(polls(), polls())));
        assertThat(never.bothReady()).isZero();
        assertThat(never.readyAgain()).isTrue();
        assertThat(never.firstSessionOk()).isEqualTo(15);
        assertThat(never.sessionServedAgain()).isFalse();
        Figures stuck = Figures.of(run(List.of(), List.of(polls(), polls(6, 31))));
        assertThat(stuck.bothReady()).isEqualTo(15);
        assertThat(stuck.readyAgain()).isFalse();
        assertThat(stuck.noSessionOk()).isZero();
    }

    @Test
    void aFlapAfterTheReturnCountsUntilTheLastRecovery() {
        List<Poll> p = polls(6, 16, 20, 21);
        assertThat(SharedOutageBenchmark.readyForGood(p)).isEqualTo(21 * S);
        assertThat(SharedOutageBenchmark.readinessWindow(p, KILL)).isEqualTo("not 200 from +1.0 s to +16.0 s");
        assertThat(SharedOutageBenchmark.readinessWindow(polls(), KILL)).isEqualTo("200 throughout");
    }

    @Test
    void theBreakdownNamesWhoAnswered() {
        assertThat(SharedOutageBenchmark.breakdown(List.of(plain(6, 0, 200, false), plain(6, 0, 503, true),
                plain(6, 0, 503, false), plain(6, 0, 503, true), plain(6, 5, OutageUsers.TIMEOUT, false))))
                .isEqualTo("5 requests: 2xx 1, 503 by the proxy 2, 503 by a replica 1, timed out 1");
        assertThat(SharedOutageBenchmark.breakdown(List.of())).isEqualTo("0 requests");
    }

    @Test
    void proxyEventsAreTimedFromTheKill() {
        assertThat(SharedOutageBenchmark.relative("12.500s a down after 2 failing checks (status 503)", 10))
                .isEqualTo("+2.5 s a down after 2 failing checks (status 503)");
    }

    @Test
    void withoutTheSampleJarTheSectionSaysHowToBuildIt() throws Exception {
        Section s = new SharedOutageReport(repo).run(Mode.QUICK);
        assertThat(s.notRun()).contains(SharedOutageReport.SAMPLE).contains("mvn -B -q -pl samples/spring-boot-service");
    }
}
