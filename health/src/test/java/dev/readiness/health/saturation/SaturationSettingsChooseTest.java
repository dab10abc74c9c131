package dev.readiness.health.saturation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The one rule every integration follows to pick its saturation source. */
class SaturationSettingsChooseTest {

    private static final Saturation POOL = Saturation.of("tomcat", () -> 0.5);
    private final List<String> warnings = new ArrayList<>();
    private final List<Integer> targets = new ArrayList<>();

    private Saturation inFlight(int target) {
        targets.add(target);
        return Saturation.of("in-flight", () -> 0.1);
    }

    @Test
    void aTargetWinsOverAPoolThatCouldBeRead() {
        Optional<Saturation> s = SaturationSettings.builder().concurrencyTarget(40).build()
                .choose("Tomcat", this::inFlight, Optional.of(POOL), warnings::add);
        assertThat(s).map(Saturation::source).contains("in-flight");
        assertThat(targets).containsExactly(40);
        assertThat(warnings).isEmpty();
    }

    @Test
    void withoutATargetThePoolIsTheSource() {
        assertThat(SaturationSettings.defaults().choose("Tomcat", this::inFlight, Optional.of(POOL), warnings::add))
                .contains(POOL);
        assertThat(targets).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void withNeitherThereIsNoSourceAndOneWarningNamesTheKey() {
        assertThat(SaturationSettings.defaults().choose("NettyWebServer", this::inFlight, Optional.empty(),
                warnings::add)).isEmpty();
        assertThat(warnings).containsExactly(SaturationSettings.missingTargetWarning("NettyWebServer"));
        assertThat(warnings.get(0)).contains("set readiness.saturation.concurrency-target");
    }

    @Test
    void turnedOffThereIsNoSourceAndNothingIsSaid() {
        SaturationSettings off = SaturationSettings.builder().enabled(false).concurrencyTarget(40).build();
        assertThat(off.choose("Tomcat", this::inFlight, Optional.of(POOL), warnings::add)).isEmpty();
        assertThat(off.choose("Netty", this::inFlight, Optional.empty(), warnings::add)).isEmpty();
        assertThat(targets).isEmpty();
        assertThat(warnings).isEmpty();
    }
}
