package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.ChecksConfig;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ReadinessAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class, ReadinessAutoConfiguration.class));

    @Test
    void registryIsCreatedStartedAndClosedWithTheContext() {
        HealthRegistry[] seen = new HealthRegistry[1];
        runner.withUserConfiguration(UpLocalCheck.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            seen[0] = registry;
            // started: the registered check gets evaluated without anyone asking
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.checks().get(0).lastCompleted() != null);
        });
        assertThatThrownBy(() -> seen[0].readiness("late", (LocalCheck) CheckResult::up))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void bindsTheProbeMetersWhenMicrometerIsPresentAndNotWithoutIt() {
        runner.run(context -> assertThat(context).hasSingleBean(dev.readiness.core.metrics.ProbeMetrics.class));
        runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(dev.readiness.core.metrics.ProbeMetrics.class));
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("readiness.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(HealthRegistry.class).doesNotHaveBean(ReadinessProperties.class));
    }

    @Test
    void backsOffWithoutReadinessCoreOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader(HealthRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean(ReadinessProperties.class));
    }

    @Test
    void usesTheApplicationsRegistryAndStillRegistersCheckBeansInIt() {
        runner.withUserConfiguration(OwnRegistry.class, UpLocalCheck.class).run(context -> {
            assertThat(context).hasSingleBean(HealthRegistry.class);
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry).isSameAs(context.getBean(OwnRegistry.class).registry);
            assertThat(registry.checks()).extracting(c -> c.name()).contains("upCheck");
        });
    }

    @Test
    void defaultsAreTheCoresDefaults() {
        CheckOptions spring = ReadinessSettings.of(new org.springframework.mock.env.MockEnvironment()).checks();
        CheckOptions core = ChecksConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(), "empty", 0)));
        assertThat(spring.toString()).isEqualTo(core.toString()).isEqualTo(CheckOptions.defaults().toString());
        var management = dev.readiness.health.management.ManagementSettings.from(
                ReadinessSettings.of(new org.springframework.mock.env.MockEnvironment()));
        assertThat(management.port()).isEqualTo(8081);
        assertThat(management.details()).isFalse();
        var drain = ReadinessSettings.of(new org.springframework.mock.env.MockEnvironment()).drain();
        assertThat(drain.propagationDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(drain.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(drain.terminationGracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void checksPropertiesBecomeTheDefaultsOfDependencyChecks() {
        runner.withUserConfiguration(DependencyCheckBean.class)
                .withPropertyValues("readiness.checks.interval=250ms", "readiness.checks.timeout=PT0.1S",
                        "readiness.checks.failure-threshold=3", "readiness.checks.success-threshold=2",
                        "readiness.checks.stale-after=2s", "readiness.checks.initial-retry-delay=0s")
                .run(context -> {
                    CheckOptions o = context.getBean(HealthRegistry.class).optionsOf(Probe.READINESS, "database");
                    assertThat(o.interval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(o.timeout()).isEqualTo(Duration.ofMillis(100));
                    assertThat(o.failureThreshold()).isEqualTo(3);
                    assertThat(o.successThreshold()).isEqualTo(2);
                    assertThat(o.staleAfter()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(o.initialRetryDelay()).isZero();
                });
    }

    @Test
    void environmentVariablesInTheDocumentedFormBind() {
        runner.withUserConfiguration(DependencyCheckBean.class)
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("READINESS_CHECKS_FAILURE_THRESHOLD", "4", "READINESS_CHECKS_TIMEOUT", "3s"))))
                .run(context -> {
                    CheckOptions o = context.getBean(HealthRegistry.class).optionsOf(Probe.READINESS, "database");
                    assertThat(o.failureThreshold()).isEqualTo(4);
                    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void checkBeansGoToReadinessUnlessAnnotated() {
        runner.withUserConfiguration(UpLocalCheck.class, AnnotatedChecks.class, DependencyCheckBean.class)
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.report(Probe.READINESS).checks()).extracting(c -> c.name())
                            .containsExactlyInAnyOrder("upCheck", "database");
                    assertThat(registry.report(Probe.LIVENESS).checks()).extracting(c -> c.name())
                            .contains("deadlocks").doesNotContain("upCheck", "database");
                    assertThat(registry.report(Probe.STARTUP).checks()).extracting(c -> c.name())
                            .containsExactly("cacheWarm");
                });
    }

    @Test
    void checkRegistrationBeansKeepTheirNameAndOptionsAndAreNotRegisteredTwice() {
        runner.withUserConfiguration(Registrations.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.checks()).extracting(c -> c.probe() + ":" + c.name())
                    .contains("READINESS:inventory", "LIVENESS:heap")
                    .doesNotContain("READINESS:inventoryCheck");
            assertThat(registry.optionsOf(Probe.READINESS, "inventory").interval()).isEqualTo(Duration.ofSeconds(9));
        });
    }

    @Test
    void aDependencyCheckAnnotatedForLivenessFailsTheStartWithAnExplanation() {
        runner.withUserConfiguration(DependencyCheckForLiveness.class).run(context -> {
            assertThat(context).hasFailed();
            var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("liveness check 'redisPing'", "DependencyCheck");
            assertThat(analysis.getAction()).contains("Register 'redisPing' for readiness", "@LivenessCheck");
        });
    }

    @Test
    void aCheckBeanWithAnInvalidNameFailsTheStartNamingIt() {
        runner.withUserConfiguration(BadName.class).run(context -> {
            assertThat(context).hasFailed();
            var analysis = new ReadinessFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'bad name!'", "must match");
            assertThat(analysis.getAction()).contains("unique name");
        });
    }

    @Test
    void applicationReadyMarksStartedAndSpringSeesTheRegistrysReadiness() {
        runner.withUserConfiguration(UpLocalCheck.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            assertThat(registry.state()).isEqualTo(AvailabilityState.STARTING);
            ready(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == AvailabilityState.READY);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);

            registry.refuseTraffic("warming caches");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
            registry.acceptTraffic();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
        });
    }

    @Test
    void refusingTrafficPublishedByTheApplicationTakesReadinessDownUntilItAcceptsAgain() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            ready(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == AvailabilityState.READY);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
            assertThat(registry.report(Probe.READINESS).reason()).contains("REFUSING_TRAFFIC");
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        });
    }

    @Test
    void acceptingTrafficPublishedByTheApplicationCannotOverruleAFailingCheck() {
        runner.withUserConfiguration(DownDependency.class)
                .withPropertyValues("readiness.checks.interval=100ms", "readiness.checks.timeout=100ms")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
                    ready(context);
                    await().atMost(Duration.ofSeconds(10)).until(() -> registry.state() == AvailabilityState.NOT_READY);
                    // what SpringApplication publishes right after ApplicationReadyEvent
                    AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
                    assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
                });
    }

    @Test
    void livenessBrokenPublishedByTheApplicationTakesTheLivenessProbeDown() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            ready(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.report(Probe.LIVENESS).isUp());
            AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
            await().atMost(Duration.ofSeconds(10)).until(() -> !registry.report(Probe.LIVENESS).isUp());
            assertThat(registry.report(Probe.LIVENESS).reason()).contains("LivenessState.BROKEN");
            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.BROKEN);
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.report(Probe.LIVENESS).isUp());
        });
    }

    @Test
    void checkContributorsAreRegisteredOnceBeforeTheRegistryStarts() {
        LocalCheck shared = CheckResult::up;
        runner.withBean("contributor", CheckContributor.class, () -> () -> java.util.List.of(
                        CheckRegistration.readiness("inventory", shared),
                        CheckRegistration.liveness("heap", CheckResult::up)))
                .withBean("sharedCheck", LocalCheck.class, () -> shared)
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.checks()).anyMatch(c -> c.name().equals("inventory") && c.probe() == Probe.READINESS)
                            .anyMatch(c -> c.name().equals("heap") && c.probe() == Probe.LIVENESS)
                            .noneMatch(c -> c.name().equals("sharedCheck"));
                });
    }

    @Test
    void theApplicationsCheckWinsOverAContributedOneOfTheSameName() {
        LocalCheck own = () -> CheckResult.down("the application's own");
        runner.withBean("contributor", CheckContributor.class, () -> () -> java.util.List.of(
                        CheckRegistration.readiness("inventory", (DependencyCheck) timeout -> CheckResult.up())))
                .withBean("inventory", CheckRegistration.class, () -> CheckRegistration.readiness("inventory", own))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> registry.checks().stream()
                            .anyMatch(c -> c.name().equals("inventory") && c.message().contains("own")));
                    assertThat(registry.checks()).filteredOn(c -> c.name().equals("inventory")).hasSize(1);
                });
    }

    @Test
    void closingTheContextBeginsTheDrain() {
        HealthRegistry[] seen = new HealthRegistry[1];
        runner.run(context -> {
            seen[0] = context.getBean(HealthRegistry.class);
            ready(context);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen[0].state() == AvailabilityState.READY);
        });
        assertThat(seen[0].state()).isEqualTo(AvailabilityState.DRAINING);
    }

    /** What SpringApplication publishes once the application is ready. */
    static void ready(AssertableApplicationContext context) {
        ConfigurableApplicationContext real = context.getSourceApplicationContext();
        real.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], real, Duration.ZERO));
    }

    @Configuration(proxyBeanMethods = false)
    static class UpLocalCheck {
        @Bean
        LocalCheck upCheck() {
            return CheckResult::up;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DependencyCheckBean {
        @Bean
        DependencyCheck database() {
            return timeout -> CheckResult.up();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DownDependency {
        @Bean
        DependencyCheck database() {
            return timeout -> CheckResult.down("connection refused");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedChecks {
        @Bean
        @LivenessCheck
        LocalCheck deadlocks() {
            return CheckResult::up;
        }

        @Bean
        @StartupCheck
        LocalCheck cacheWarm() {
            return CheckResult::up;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registrations {
        @Bean
        DependencyCheck inventoryCheck() {
            return timeout -> CheckResult.up();
        }

        @Bean
        CheckRegistration inventory(DependencyCheck inventoryCheck) {
            return CheckRegistration.readiness("inventory", inventoryCheck,
                    CheckOptions.builder().interval(Duration.ofSeconds(9)).build());
        }

        @Bean
        CheckRegistration heap() {
            return CheckRegistration.liveness("heap", CheckResult::up);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DependencyCheckForLiveness {
        @Bean
        @LivenessCheck
        DependencyCheck redisPing() {
            return timeout -> CheckResult.up();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadName {
        @Bean
        CheckRegistration registration() {
            return CheckRegistration.readiness("bad name!", (LocalCheck) CheckResult::up);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {
        final HealthRegistry registry = HealthRegistry.create();

        @Bean
        HealthRegistry myRegistry() {
            return registry;
        }
    }
}
