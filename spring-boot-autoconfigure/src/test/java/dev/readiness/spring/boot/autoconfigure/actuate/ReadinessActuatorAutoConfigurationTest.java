package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.LivenessCheck;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReadinessActuatorAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class, ReadinessAutoConfiguration.class,
                    ReadinessActuatorAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
            .withPropertyValues("readiness.checks.interval=100ms", "readiness.checks.timeout=100ms");

    @Test
    void probeIndicatorsReplaceActuatorsAvailabilityIndicators() {
        runner.run(context -> {
            assertThat(context.getBean("livenessStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
            assertThat(context.getBean("readinessStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
            assertThat(context.getBean("startupStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
        });
    }

    @Test
    void probeIndicatorsReportTheRegistrysProbes() {
        runner.withUserConfiguration(FailingLivenessCheck.class).run(context -> {
            HealthIndicator liveness = context.getBean("livenessStateHealthIndicator", HealthIndicator.class);
            HealthIndicator readiness = context.getBean("readinessStateHealthIndicator", HealthIndicator.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> liveness.health().getStatus().equals(org.springframework.boot.health.contributor.Status.DOWN));
            assertThat(liveness.health().getDetails()).containsKey("checks").containsEntry("state", "STARTING");
            assertThat(liveness.health().getDetails().get("reason").toString()).contains("threadsStuck");
            // not started yet: readiness is DOWN with the reason
            assertThat(readiness.health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(readiness.health().getDetails().get("reason").toString()).contains("not reported started");
        });
    }

    @Test
    void anIndicatorThatAReadinessCheckCoversIsNeverEvaluatedASecondTime() {
        java.util.concurrent.atomic.AtomicInteger indicatorCalls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger checkCalls = new java.util.concurrent.atomic.AtomicInteger();
        runner.withBean("dbHealthIndicator", HealthIndicator.class, () -> () -> {
                    indicatorCalls.incrementAndGet();
                    return org.springframework.boot.health.contributor.Health.up().build();
                })
                .withBean("dbChecks", dev.readiness.spring.boot.autoconfigure.CheckContributor.class,
                        () -> () -> java.util.List.of(dev.readiness.spring.boot.autoconfigure.CheckRegistration
                                .readiness("db", (dev.readiness.core.check.DependencyCheck) timeout -> {
                                    checkCalls.incrementAndGet();
                                    return dev.readiness.core.check.CheckResult.up().withDetail("active", 1);
                                })))
                .run(context -> {
                    HealthIndicator db = (HealthIndicator) context.getBean(HealthContributorRegistry.class)
                            .getContributor("db");
                    assertThat(db).isInstanceOf(BackgroundHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> checkCalls.get() >= 2);
                    await().atMost(Duration.ofSeconds(10)).until(() -> db.health().getStatus().getCode().equals("UP"));
                    assertThat(db.health().getDetails()).containsEntry("active", 1);
                    assertThat(indicatorCalls).as("Boot's indicator never ran").hasValue(0);
                });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("readiness.actuator.enabled=false", "management.health.livenessstate.enabled=true").run(context -> {
            assertThat(context.getBean("livenessStateHealthIndicator")).isInstanceOf(LivenessStateHealthIndicator.class);
            assertThat(context).doesNotHaveBean(ProbeGroupsPostProcessor.class);
            assertThat(context).doesNotHaveBean(ProbeHealthIndicator.class);
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("slow"))
                    .isSameAs(context.getBean("slowHealthIndicator"));
        });
    }

    @Test
    void backsOffWhenTheRegistryIsOff() {
        runner.withPropertyValues("readiness.enabled=false", "management.health.livenessstate.enabled=true").run(context ->
                assertThat(context.getBean("livenessStateHealthIndicator"))
                        .isInstanceOf(LivenessStateHealthIndicator.class));
    }

    @Test
    void backsOffWithoutSpringBootHealthOnTheClassPath() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessActuatorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(HealthRegistry.class);
                    assertThat(context).doesNotHaveBean(ProbeHealthIndicator.class);
                });
    }

    @Test
    void groupsPostProcessorNeedsActuatorsEndpointClasses() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint"))
                .run(context -> {
                    assertThat(context).hasBean("livenessStateHealthIndicator");
                    assertThat(context).doesNotHaveBean(ProbeGroupsPostProcessor.class);
                });
        runner.run(context -> assertThat(context).hasSingleBean(ProbeGroupsPostProcessor.class));
    }

    @Test
    void blockingIndicatorsAreEvaluatedInTheBackgroundAndOnlyDegradeReadinessUnlessInItsGroup() {
        runner.withUserConfiguration(SlowIndicator.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            var contributor = context.getBean(HealthContributorRegistry.class).getContributor("slow");
            assertThat(contributor).isInstanceOf(BackgroundHealthIndicator.class);
            assertThat(((BackgroundHealthIndicator) contributor).delegate()).isSameAs(context.getBean("slowHealthIndicator"));
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(registry, "slow").status() == Status.DOWN);
            assertThat(snapshot(registry, "slow").required()).isFalse();
            Health health = ((HealthIndicator) contributor).health();
            assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.getDetails()).containsEntry("timedOut", true);
            // ping and the probe indicators read memory only: they stay as they are
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("ping"))
                    .isNotInstanceOf(BackgroundHealthIndicator.class);
            assertThat(registry.checks()).extracting(CheckSnapshot::name).doesNotContain("ping", "livenessState");
        });
    }

    @Test
    void anIndicatorInActuatorsReadinessGroupIsRequiredForReadiness() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("management.endpoint.health.group.readiness.include=readinessState,slow")
                .run(context -> assertThat(snapshot(context.getBean(HealthRegistry.class), "slow").required()).isTrue());
    }

    @Test
    void backgroundIndicatorsCanBeTurnedOff() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("readiness.actuator.background-indicators=false").run(context -> {
                    assertThat(context.getBean(HealthContributorRegistry.class).getContributor("slow"))
                            .isSameAs(context.getBean("slowHealthIndicator"));
                    assertThat(context.getBean(HealthRegistry.class).checks()).extracting(CheckSnapshot::name)
                            .doesNotContain("slow");
                });
    }

    private static CheckSnapshot snapshot(HealthRegistry registry, String name) {
        return registry.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowIndicator {
        @Bean
        HealthIndicator slowHealthIndicator() {
            return () -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Health.up().build();
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingLivenessCheck {
        @Bean
        @LivenessCheck
        LocalCheck threadsStuck() {
            return () -> CheckResult.down("3 threads deadlocked");
        }
    }
}
