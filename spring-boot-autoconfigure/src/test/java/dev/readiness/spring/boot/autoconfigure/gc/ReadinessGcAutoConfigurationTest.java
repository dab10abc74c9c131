package dev.readiness.spring.boot.autoconfigure.gc;

import dev.readiness.spring.boot.autoconfigure.StartFailures;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessGcAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessGcAutoConfiguration.class));

    @Test
    void gcPressureIsALivenessCheckNeverAReadinessOne() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.checks()).filteredOn(c -> c.name().equals(GcRuntime.CHECK_NAME))
                    .singleElement().satisfies(c -> assertThat(c.probe()).isEqualTo(Probe.LIVENESS));
            GcPressureCheck check = context.getBean(GcPressure.class).check();
            assertThat(check.settings().window()).isEqualTo(Duration.ofSeconds(60));
            assertThat(check.settings().overheadPercent()).isEqualTo(50);
            assertThat(check.settings().heapAfterGcPercent()).isEqualTo(95);
            assertThat(context).hasSingleBean(GcPressureMetrics.class).hasSingleBean(GcAdvice.class);
        });
    }

    @Test
    void readsThePressureKeys() {
        runner.withPropertyValues("readiness.gc.pressure.window=2m", "readiness.gc.pressure.overhead-percent=30",
                "readiness.gc.pressure.heap-after-gc-percent=90").run(context -> {
                    var settings = context.getBean(GcPressure.class).check().settings();
                    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(settings.overheadPercent()).isEqualTo(30);
                    assertThat(settings.heapAfterGcPercent()).isEqualTo(90);
                });
    }

    @Test
    void pressureOffKeepsTheAdvisor() {
        runner.withPropertyValues("readiness.gc.pressure.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(GcPressure.class).hasSingleBean(GcAdvice.class);
            assertThat(context.getBean(HealthRegistry.class).checks())
                    .noneMatch(c -> c.name().equals(GcRuntime.CHECK_NAME));
        });
    }

    @Test
    void anApplicationsOwnGcPressureCheckIsKeptAndNotRegisteredTwice() {
        GcPressureCheck own = new GcPressureCheck(dev.readiness.gc.runtime.GcPressureSettings.defaults());
        runner.withBean("gcPressure", dev.readiness.spring.boot.autoconfigure.CheckRegistration.class,
                () -> dev.readiness.spring.boot.autoconfigure.CheckRegistration.liveness(GcRuntime.CHECK_NAME, own))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(HealthRegistry.class).checks())
                            .filteredOn(c -> c.name().equals(GcRuntime.CHECK_NAME) || c.name().contains("Gc"))
                            .singleElement().satisfies(c -> assertThat(c.probe()).isEqualTo(Probe.LIVENESS));
                });
    }

    @Test
    void advisorOffLogsNothing() {
        runner.withPropertyValues("readiness.gc.advisor.enabled=false")
                .run(context -> assertThat(context.getBean(GcAdvice.class).advice()).isEmpty());
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("readiness.gc.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GcPressure.class)
                        .doesNotHaveBean(GcAdvice.class));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.gc.pressure.window                | 500ms | must be at least 1s",
            "readiness.gc.pressure.overhead-percent      | 0     | must be 1..100",
            "readiness.gc.pressure.heap-after-gc-percent | 101   | must be 1..100",
    })
    void aBadValueFailsTheStartWithTheKey(String key, String value, String allowed) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            StartFailures.analysisNaming(context, key, allowed);
        });
    }
}
