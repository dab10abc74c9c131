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
                List.of(r("in-memory", 1000), r("readiness", 500), r("round-trip-floor", 700)),
                List.of(r("readiness", 900), r("in-memory", 1000), r("round-trip-floor", 950)));
        assertThat(SessionsReport.pairedRatios(rounds, "readiness", "/session/read")).containsExactly(0.5, 0.9);
        assertThat(SessionsReport.pairedRatios(rounds, "round-trip-floor", "/session/read")).containsExactly(0.7, 0.95);
    }

    @Test
    void aMissingVariantIsAnErrorNotAZero() {
        List<List<SessionsBenchmark.Result>> rounds = List.of(List.of(r("in-memory", 1000)));
        assertThatThrownBy(() -> SessionsReport.pairedRatios(rounds, "readiness", "/session/read"))
                .hasMessageContaining("measured no readiness /session/read");
    }

    @Test
    void theTargetNoteSaysWhetherTheFloorLeavesRoomForTheTarget() {
        assertThat(SessionsReport.targetNote("reads", List.of(0.5, 0.6), List.of(0.62, 0.7)))
                .contains("0.50, 0.60", "NOT met in any round", "reached 0.62, 0.70",
                        "no store making those round trips can meet the target on this machine");
        assertThat(SessionsReport.targetNote("reads", List.of(0.85, 0.7), List.of(0.9, 0.95)))
                .contains("met in 1 of 2 rounds only", "leave room for the target");
        assertThat(SessionsReport.targetNote("reads", List.of(0.85, 0.81), List.of(0.9, 0.7)))
                .contains("met in every round", "meet the target in 1 of 2 rounds");
    }
}
