package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.spring.boot.autoconfigure.StartFailures;
import dev.readiness.core.drain.DrainMetrics;
import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ReadinessDrainAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessDrainAutoConfiguration.class));

    private final ApplicationContextRunner kubernetes = runner.withPropertyValues(
            "spring.main.cloud-platform=kubernetes", "readiness.drain.propagation-delay=0s");

    @Test
    void offOutsideKubernetesUnlessEnabled() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(HealthRegistry.class);
            assertThat(context).doesNotHaveBean(GracefulDrain.class);
        });
    }

    @Test
    void onAnywhereWhenEnabled() {
        runner.withPropertyValues("readiness.drain.enabled=true", "readiness.drain.propagation-delay=0s")
                .run(context -> assertThat(context).hasSingleBean(GracefulDrain.class)
                        .hasSingleBean(DrainLifecycle.class));
    }

    @Test
    void onKubernetesWithTheDefaults() {
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes").run(context -> {
            DrainSettings settings = context.getBean(DrainSettings.class);
            assertThat(settings.propagationDelay()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(settings.resourceCloseTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(settings.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.exitCode()).hasValue(0);
            assertThat(context.getBean(GracefulDrain.class).settings()).isSameAs(settings);
            assertThat(context).hasSingleBean(DrainLifecycle.class).hasSingleBean(DrainMetrics.class);
            // no web server in this context: no server adapters, no filter
            assertThat(context).doesNotHaveBean(TomcatServerDrain.class).doesNotHaveBean(FilterRegistrationBean.class);
            context.getBean(HealthRegistry.class).beginDrain(); // skip the 5 s delay when the runner closes it
        });
    }

    @Test
    void readsTheDrainKeys() {
        kubernetes.withPropertyValues("readiness.drain.timeout=45s", "readiness.drain.resource-close-timeout=3s",
                "readiness.drain.termination-grace-period=1m", "readiness.drain.exit-code=jvm").run(context -> {
                    DrainSettings settings = context.getBean(DrainSettings.class);
                    assertThat(settings.propagationDelay()).isZero();
                    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(settings.resourceCloseTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(settings.terminationGracePeriod()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(settings.exitCode()).isEqualTo(OptionalInt.empty());
                });
    }

    @Test
    void offWhenDisabledEvenOnKubernetes() {
        kubernetes.withPropertyValues("readiness.drain.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GracefulDrain.class));
    }

    @Test
    void aDrainOfYourOwnIsUsed() {
        kubernetes.withBean("myDrain", GracefulDrain.class,
                        () -> GracefulDrain.builder(HealthRegistry.create()).build())
                .run(context -> assertThat(context).hasSingleBean(GracefulDrain.class)
                        .hasBean("myDrain").hasSingleBean(DrainLifecycle.class));
    }

    @Test
    void closingTurnsReadinessDownThenKeepsServingForThePropagationDelayThenDrainsAndClosesResources() {
        HealthRegistry[] registry = new HealthRegistry[1];
        GracefulDrain[] drain = new GracefulDrain[1];
        boolean[] closed = new boolean[1];
        AvailabilityState[] stateWhenClosed = new AvailabilityState[1];
        long[] closeStarted = new long[1];
        kubernetes.withPropertyValues("readiness.drain.propagation-delay=400ms").run(context -> {
            registry[0] = context.getBean(HealthRegistry.class);
            drain[0] = context.getBean(GracefulDrain.class);
            drain[0].register("pool", () -> {
                closed[0] = true;
                stateWhenClosed[0] = registry[0].state();
            });
            assertThat(drain[0].phase()).isEqualTo(DrainPhase.SERVING);
            closeStarted[0] = System.nanoTime();
        });
        long tookMillis = (System.nanoTime() - closeStarted[0]) / 1_000_000;
        assertThat(tookMillis).as("close waited for the propagation delay").isGreaterThanOrEqualTo(400);
        assertThat(drain[0].phase()).isEqualTo(DrainPhase.STOPPED);
        assertThat(closed[0]).as("registered resource closed by the drain").isTrue();
        assertThat(stateWhenClosed[0]).isEqualTo(AvailabilityState.DRAINING);
        assertThat(registry[0].state()).isIn(AvailabilityState.STOPPED, AvailabilityState.DRAINING);
    }

    @Test
    void warnsAtStartWhenTheDrainDoesNotFitTheGracePeriod(CapturedOutput output) {
        kubernetes.withPropertyValues("readiness.drain.timeout=35s", "readiness.drain.termination-grace-period=30s")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("drain does not fit the termination grace period", "timeout 35s",
                "termination-grace-period 30s", "SIGKILL");
    }

    @Test
    void noWarningWhenItFits(CapturedOutput output) {
        kubernetes.run(context -> assertThat(context).hasNotFailed());
        assertThat(output).doesNotContain("SIGKILL");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.drain.propagation-delay        | -1s    | must be between 0s and 1h",
            "readiness.drain.timeout                  | -2m    | must be between 0s and 1h",
            "readiness.drain.timeout                  | 2h     | must be between 0s and 1h",
            "readiness.drain.timeout                  | 20     | a bare number has no unit",
            "readiness.drain.resource-close-timeout   | 0s     | must be a positive duration",
            "readiness.drain.termination-grace-period | 0s     | must be a positive duration",
            "readiness.drain.exit-code                | 256    | must be 0..255, or 'jvm'",
            "readiness.drain.exit-code                | banana | must be 0..255, or 'jvm'",
            "readiness.drain.exit-code                | 2.5    | must be 0..255, or 'jvm'",
    })
    void aBadValueFailsTheStartWithDescriptionAndAction(String key, String value, String allowed) {
        kubernetes.withPropertyValues(key + "=" + value).run(context -> {
            var analysis = StartFailures.analysisNaming(context, key, allowed);
            assertThat(analysis.getAction()).contains("Update '" + key + "'", allowed);
        });
    }

    @Test
    void onTomcatTheInFlightFilterComesFirstAndTheServerIsDrained() {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessDrainAutoConfiguration.class))
                .withPropertyValues("readiness.drain.enabled=true", "readiness.drain.propagation-delay=0s")
                .withBean(TomcatServletWebServerFactory.class, () -> new TomcatServletWebServerFactory(0))
                .run(context -> {
                    assertThat(context).hasSingleBean(TomcatServerDrain.class);
                    FilterRegistrationBean<?> filter = context.getBean("readinessInFlightFilter",
                            FilterRegistrationBean.class);
                    assertThat(filter.getFilter()).isInstanceOf(InFlightFilter.class);
                    assertThat(filter.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
                    assertThat(filter.isAsyncSupported()).isTrue();
                    assertThat(filter.getUrlPatterns()).containsExactly("/*");
                });
    }

    @Test
    void withoutADrainNoFilterIsRegistered() {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessDrainAutoConfiguration.class))
                .withBean(TomcatServletWebServerFactory.class, () -> new TomcatServletWebServerFactory(0))
                .run(context -> assertThat(context).doesNotHaveBean("readinessInFlightFilter")
                        .doesNotHaveBean(TomcatServerDrain.class));
    }
}
