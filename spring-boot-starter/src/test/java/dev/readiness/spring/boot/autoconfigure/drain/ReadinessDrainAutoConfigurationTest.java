package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ReadinessDrainAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessDrainAutoConfiguration.class));

    private final ApplicationContextRunner kubernetes = runner.withPropertyValues("spring.main.cloud-platform=kubernetes");

    @Test
    void offOutsideKubernetes() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(HealthRegistry.class);
            assertThat(context).doesNotHaveBean(DrainSettings.class);
        });
    }

    @Test
    void onKubernetesWithTheDefaults() {
        kubernetes.run(context -> {
            DrainSettings settings = context.getBean(DrainSettings.class);
            assertThat(settings.propagationDelay()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(settings.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.fitsGracePeriod()).isTrue();
            assertThat(context).hasSingleBean(PropagationDelayLifecycle.class);
        });
    }

    @Test
    void readsTheDrainKeys() {
        kubernetes.withPropertyValues("readiness.drain.propagation-delay=0s", "readiness.drain.timeout=45s",
                "readiness.drain.termination-grace-period=1m").run(context -> {
                    DrainSettings settings = context.getBean(DrainSettings.class);
                    assertThat(settings.propagationDelay()).isZero();
                    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(settings.terminationGracePeriod()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(settings.budget()).isEqualTo(Duration.ofSeconds(45));
                });
    }

    @Test
    void offWhenDisabled() {
        kubernetes.withPropertyValues("readiness.drain.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DrainSettings.class));
    }

    @Test
    void closingTurnsReadinessDownThenKeepsServingForThePropagationDelay() {
        HealthRegistry[] registry = new HealthRegistry[1];
        long[] closedAfter = new long[1];
        kubernetes.withPropertyValues("readiness.drain.propagation-delay=400ms").run(context -> {
            registry[0] = context.getBean(HealthRegistry.class);
            closedAfter[0] = System.nanoTime();
        });
        long tookMillis = (System.nanoTime() - closedAfter[0]) / 1_000_000;
        assertThat(registry[0].state()).isEqualTo(AvailabilityState.DRAINING);
        assertThat(tookMillis).as("close waited for the propagation delay").isGreaterThanOrEqualTo(400);
    }

    @Test
    void warnsAtStartWhenTheDrainDoesNotFitTheGracePeriod(CapturedOutput output) {
        kubernetes.withPropertyValues("readiness.drain.propagation-delay=0s", "readiness.drain.timeout=35s",
                        "readiness.drain.termination-grace-period=30s", "readiness.drain.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DrainSettings.class).fitsGracePeriod()).isFalse();
                });
        assertThat(output).contains("readiness.drain.termination-grace-period (PT30S)", "PT35S", "SIGKILL");
    }

    @Test
    void noWarningWhenItFits(CapturedOutput output) {
        kubernetes.withPropertyValues("readiness.drain.propagation-delay=0s").run(context ->
                assertThat(context).hasNotFailed());
        assertThat(output).doesNotContain("SIGKILL");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.drain.propagation-delay        | -1s | must be a duration of 0 or more",
            "readiness.drain.timeout                  | 0s  | must be a positive duration",
            "readiness.drain.timeout                  | -2m | must be a positive duration",
            "readiness.drain.termination-grace-period | 0s  | must be a positive duration",
    })
    void aBadValueFailsTheStartWithDescriptionAndAction(String key, String value, String allowed) {
        kubernetes.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'" + key + "'", allowed);
            assertThat(analysis.getAction()).contains("Update '" + key + "'", allowed);
        });
    }
}
