package dev.readiness.bench.sessions;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionsReportTest {

    private static SessionsBenchmark.Result r(String variant, double rps) {
        return new SessionsBenchmark.Result(variant, "/session/read", rps, 1, 0, 1, 1, 1, Map.of(), 1, 1);
    }

    @Test
    void ratiosArePairedWithinEachRound() {
        List<List<SessionsBenchmark.Result>> rounds = List.of(
                List.of(r("in-memory", 1000), r("readiness", 500), r(SessionsBenchmark.NEAR_CACHE, 250),
                        r("spring-session", 300)),
                List.of(r("readiness", 900), r("in-memory", 1000), r(SessionsBenchmark.NEAR_CACHE, 600),
                        r("spring-session", 400)));
        assertThat(SessionsReport.pairedRatios(rounds, "readiness", "/session/read")).containsExactly(0.5, 0.9);
        assertThat(SessionsReport.pairedRatios(rounds, SessionsBenchmark.NEAR_CACHE, "/session/read"))
                .containsExactly(0.25, 0.6);
    }

    @Test
    void aMissingVariantIsAnErrorNotAZero() {
        List<List<SessionsBenchmark.Result>> rounds = List.of(List.of(r("in-memory", 1000)));
        assertThatThrownBy(() -> SessionsReport.pairedRatios(rounds, "readiness", "/session/read"))
                .hasMessageContaining("measured no readiness /session/read");
    }

    @Test
    void theTargetNoteSaysInHowManyRoundsTheTargetHeld() {
        assertThat(SessionsReport.targetNote("reads", List.of(0.5, 0.6))).contains("0.50, 0.60", "NOT met in any round");
        assertThat(SessionsReport.targetNote("reads", List.of(0.85, 0.7))).contains("met in 1 of 2 rounds only");
        assertThat(SessionsReport.targetNote("reads", List.of(0.85, 0.8))).contains("met in every round");
    }
}
