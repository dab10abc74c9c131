package dev.readiness.health.agent;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AgentWeightTest {

    private static final long S = 1_000_000_000L;

    private static AgentWeight weight(Duration slowStart) {
        return new AgentWeight(AgentSettings.builder().shedAbove(0.8).shedFull(1.5).hysteresis(0.1).minWeight(10)
                .slowStart(slowStart).build());
    }

    @Test
    void fullWeightUntilSaturationPassesTheThreshold() {
        AgentWeight w = weight(Duration.ZERO);
        assertThat(w.percent(0, 0)).isEqualTo(100);
        assertThat(w.percent(0.5, 0)).isEqualTo(100);
        assertThat(w.percent(0.8, 0)).isEqualTo(100);
        assertThat(w.shedding()).isFalse();
    }

    @Test
    void weightFallsAsSaturationRisesAndReachesTheMinimumAtShedFull() {
        AgentWeight w = weight(Duration.ZERO);
        int at09 = w.percent(0.9, 0);
        int at12 = w.percent(1.2, 0);
        assertThat(at09).isLessThan(100).isGreaterThan(at12);
        assertThat(w.percent(1.5, 0)).isEqualTo(10);
        assertThat(w.percent(7.0, 0)).isEqualTo(10);
    }

    @Test
    void weightStaysReducedUntilSaturationIsHysteresisBelowTheThreshold() {
        AgentWeight w = weight(Duration.ZERO);
        w.percent(1.0, 0);
        assertThat(w.percent(0.75, 0)).as("still shedding inside the band").isLessThan(100);
        assertThat(w.shedding()).isTrue();
        assertThat(w.percent(0.69, 0)).isEqualTo(100);
        assertThat(w.shedding()).isFalse();
        assertThat(w.percent(0.75, 0)).as("not shedding again until above the threshold").isEqualTo(100);
    }

    @Test
    void unknownSaturationKeepsTheWeight() {
        AgentWeight w = weight(Duration.ZERO);
        assertThat(w.percent(Double.NaN, 0)).isEqualTo(100);
    }

    @Test
    void slowStartRampsFromTheMinimumToFullAfterReadiness() {
        AgentWeight w = weight(Duration.ofSeconds(10));
        assertThat(w.percent(0, 0)).as("not ready yet").isEqualTo(10);
        w.readyAt(5 * S);
        assertThat(w.percent(0, 5 * S)).isEqualTo(10);
        assertThat(w.percent(0, 10 * S)).isEqualTo(55);
        assertThat(w.percent(0, 15 * S)).isEqualTo(100);
        w.readyAt(100 * S);
        assertThat(w.percent(0, 16 * S)).as("a second ready does not restart the ramp").isEqualTo(100);
    }

    @Test
    void slowStartAndSaturationTakeTheLowerWeight() {
        AgentWeight w = weight(Duration.ofSeconds(10));
        w.readyAt(0);
        assertThat(w.percent(1.5, 9 * S)).isEqualTo(10);
        assertThat(w.percent(0, 2 * S)).isEqualTo(28);
    }

    @Test
    void weightIsAlwaysWithinMinimumAndFullAndNeverRisesWithSaturation() {
        Fuzz.forAll(2000, Gen.combine(Gen.doubles(), Gen.doubles(), (a, b) -> new double[] {a, b}), pair -> {
            double low = Math.min(Math.abs(pair[0]), Math.abs(pair[1]));
            double high = Math.max(Math.abs(pair[0]), Math.abs(pair[1]));
            AgentWeight fresh1 = weight(Duration.ZERO);
            AgentWeight fresh2 = weight(Duration.ZERO);
            int wl = fresh1.percent(low, 0);
            int wh = fresh2.percent(high, 0);
            assertThat(wl).isBetween(10, 100);
            assertThat(wh).isBetween(10, 100).isLessThanOrEqualTo(wl);
        });
    }
}
