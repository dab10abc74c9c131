package dev.readiness.spring.boot3.autoconfigure.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorProbesDefaultTest {

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", new HashMap<>(properties)));
        new ActuatorProbesDefault().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    private static String probes(Map<String, Object> properties) {
        return environment(properties).getProperty(ActuatorProbesDefault.PROBES_ENABLED);
    }

    @Test
    void turnsActuatorsProbeGroupsOnAsSpringBoot4Does() {
        assertThat(probes(Map.of())).isEqualTo("true");
    }

    @Test
    void theApplicationsOwnValueWins() {
        assertThat(probes(Map.of(ActuatorProbesDefault.PROBES_ENABLED, "false"))).isEqualTo("false");
    }

    @Test
    void addsNothingWhenReadinessOrItsActuatorIntegrationIsOff() {
        assertThat(probes(Map.of("readiness.enabled", "false"))).isNull();
        assertThat(probes(Map.of("readiness.actuator.enabled", "false"))).isNull();
        assertThat(probes(Map.of("readiness.actuator.enabled", "FALSE"))).isNull();
        assertThat(probes(Map.of("readiness.actuator.enabled", "true"))).isEqualTo("true");
        assertThat(probes(Map.of("readiness.actuator.enabled", "ON"))).isEqualTo("true");
        assertThat(probes(Map.of("readiness.actuator.enabled", "0"))).isNull();
        assertThat(probes(Map.of("readiness.actuator.enabled", "  "))).as("blank is unset").isEqualTo("true");
    }

    @Test
    void aFlagThatIsNotABooleanAddsNothingAndIsLeftForTheStartToReject() {
        for (String bad : new String[] {"yes please", "tru", "2", "true false", "\u202etrue", "x".repeat(10_000)}) {
            assertThat(probes(Map.of("readiness.actuator.enabled", bad))).as(bad.substring(0, Math.min(12, bad.length())))
                    .isNull();
        }
    }

    @Test
    void runningTwiceAddsOneSourceAtTheLowestPrecedence() {
        StandardEnvironment environment = environment(Map.of());
        new ActuatorProbesDefault().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getPropertySources().stream()
                .filter(s -> s.getName().equals(ActuatorProbesDefault.SOURCE_NAME)).count()).isEqualTo(1);
        assertThat(environment.getPropertySources().stream().reduce((a, b) -> b).orElseThrow().getName())
                .isEqualTo(ActuatorProbesDefault.SOURCE_NAME);
    }
}
