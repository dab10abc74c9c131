package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.LivenessCheck;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.availability.LivenessStateHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spring Boot 3.5's own Actuator auto-configurations, with readiness' in front of them. */
class ReadinessActuatorAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class, ReadinessAutoConfiguration.class,
                    ReadinessActuatorAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
            .withPropertyValues("readiness.checks.interval=100ms", "readiness.checks.timeout=100ms",
                    "management.endpoint.health.probes.enabled=true",
                    "management.endpoints.web.exposure.include=health");

    @Test
    void probeIndicatorsReplaceActuatorsAvailabilityIndicators() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("livenessStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
            assertThat(context.getBean("readinessStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
            assertThat(context.getBean("startupStateHealthIndicator")).isInstanceOf(ProbeHealthIndicator.class);
            HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
            assertThat(registry.getContributor("livenessState")).isInstanceOf(ProbeHealthIndicator.class);
            assertThat(registry.getContributor("startupState")).isInstanceOf(ProbeHealthIndicator.class);
        });
    }

    @Test
    void probeIndicatorsReportTheRegistrysProbes() {
        runner.withUserConfiguration(FailingLivenessCheck.class).run(context -> {
            HealthIndicator liveness = context.getBean("livenessStateHealthIndicator", HealthIndicator.class);
            HealthIndicator readiness = context.getBean("readinessStateHealthIndicator", HealthIndicator.class);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    liveness.health().getStatus().equals(org.springframework.boot.actuate.health.Status.DOWN));
            assertThat(liveness.health().getDetails()).containsKey("checks").containsEntry("state", "STARTING");
            assertThat(liveness.health().getDetails().get("reason").toString()).contains("threadsStuck");
            assertThat(readiness.health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(readiness.health().getDetails().get("reason").toString()).contains("not reported started");
        });
    }

    @Test
    void theLivenessGroupHoldsOnlyTheLivenessProbeAndAStartupGroupIsAdded() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("management.endpoint.health.group.liveness.include=*").run(context -> {
                    HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
                    assertThat(groups.getNames()).contains("liveness", "readiness", "startup");
                    assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
                    assertThat(groups.get("liveness").isMember("slow")).isFalse();
                    assertThat(groups.get("startup").isMember("startupState")).isTrue();
                    assertThat(groups.get("startup").isMember("slow")).isFalse();
                    // the endpoint answers the group from the background result, never calling the indicator
                    HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                    long start = System.nanoTime();
                    assertThat(endpoint.healthForPath("liveness").getStatus().getCode()).isIn("UP", "DOWN");
                    assertThat(endpoint.healthForPath("readiness")).isNotNull();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                });
    }

    @Test
    void aLivenessGroupNamingOnlyDependenciesKeepsItsPathAndAnApplicationsStartupGroupIsKept() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("management.endpoint.health.group.liveness.include=slow",
                        "management.endpoint.health.group.liveness.additional-path=server:/livez",
                        "management.endpoint.health.group.startup.include=slow").run(context -> {
                    HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
                    assertThat(groups.get("liveness").isMember("slow")).isFalse();
                    assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
                    assertThat(groups.get("liveness").getAdditionalPath().getValue()).isEqualTo("/livez");
                    // the application's own startup group is the application's
                    assertThat(groups.get("startup").isMember("slow")).isTrue();
                    assertThat(groups.get("startup").isMember("startupState")).isFalse();
                });
    }

    @Test
    void anIndicatorThatAReadinessCheckCoversIsNeverEvaluatedASecondTime() {
        AtomicInteger indicatorCalls = new AtomicInteger();
        AtomicInteger checkCalls = new AtomicInteger();
        runner.withBean("dbHealthIndicator", HealthIndicator.class, () -> () -> {
                    indicatorCalls.incrementAndGet();
                    return Health.up().build();
                })
                .withBean("dbChecks", CheckContributor.class, () -> () -> List.of(CheckRegistration
                        .readiness("db", (DependencyCheck) timeout -> {
                            checkCalls.incrementAndGet();
                            return CheckResult.up().withDetail("active", 1);
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
    void aReactiveIndicatorThatAReadinessCheckCoversIsNeverSubscribed() {
        AtomicInteger subscriptions = new AtomicInteger();
        runner.withBean("redisHealthContributor", ReactiveHealthIndicator.class, () -> () ->
                        Mono.fromCallable(() -> {
                            subscriptions.incrementAndGet();
                            return Health.up().build();
                        }))
                .withBean("redisChecks", CheckContributor.class, () -> () -> List.of(CheckRegistration
                        .readiness("redis", (DependencyCheck) timeout -> CheckResult.down("connection refused"))))
                .run(context -> {
                    HealthContributor redis = context.getBean(HealthContributorRegistry.class).getContributor("redis");
                    assertThat(redis).isInstanceOf(BackgroundHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(10)).until(() ->
                            ((HealthIndicator) redis).health().getStatus().getCode().equals("DOWN"));
                    assertThat(((HealthIndicator) redis).health().getDetails())
                            .containsEntry("message", "connection refused");
                    Thread.sleep(300); // three check intervals
                    assertThat(subscriptions).as("the reactive indicator was never subscribed").hasValue(0);
                });
    }

    @Test
    void anUncoveredReactiveIndicatorIsEvaluatedInTheBackgroundAsBoot35WouldBlockOnIt() {
        AtomicInteger subscriptions = new AtomicInteger();
        runner.withBean("queueHealthIndicator", ReactiveHealthIndicator.class, () -> () ->
                        Mono.fromCallable(() -> {
                            subscriptions.incrementAndGet();
                            return Health.down().withDetail("error", "broker gone").withDetail("depth", 7).build();
                        }))
                .withBean("composite", CompositeReactiveHealthContributor.class, () ->
                        CompositeReactiveHealthContributor.fromMap(Map.of("inner",
                                (ReactiveHealthIndicator) () -> Mono.just(Health.up().build()))))
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    HealthContributorRegistry contributors = context.getBean(HealthContributorRegistry.class);
                    assertThat(contributors.getContributor("queue")).isInstanceOf(BackgroundHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(registry, "queue").status() == Status.DOWN);
                    CheckSnapshot queue = snapshot(registry, "queue");
                    assertThat(queue.required()).isFalse();
                    assertThat(queue.message()).isEqualTo("status DOWN: broker gone");
                    assertThat(queue.details()).containsEntry("depth", 7);
                    assertThat(subscriptions.get()).isPositive();
                    assertThat(contributors.getContributor("composite")).isInstanceOf(CompositeHealthContributor.class);
                    HealthContributor inner = ((CompositeHealthContributor) contributors.getContributor("composite"))
                            .getContributor("inner");
                    assertThat(((HealthIndicator) inner).health().getStatus().getCode()).isEqualTo("UP");
                });
    }

    @Test
    void blockingIndicatorsAreEvaluatedInTheBackgroundAndOnlyDegradeReadinessUnlessInItsGroup() {
        runner.withUserConfiguration(SlowIndicator.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("slow");
            assertThat(contributor).isInstanceOf(BackgroundHealthIndicator.class);
            assertThat(((BackgroundHealthIndicator) contributor).delegate())
                    .isSameAs(context.getBean("slowHealthIndicator"));
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot(registry, "slow").status() == Status.DOWN);
            assertThat(snapshot(registry, "slow").required()).isFalse();
            Health health = ((HealthIndicator) contributor).health();
            assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.getDetails()).containsEntry("timedOut", true);
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("ping"))
                    .isNotInstanceOf(BackgroundHealthIndicator.class);
            assertThat(registry.checks()).extracting(CheckSnapshot::name).doesNotContain("ping", "livenessState");
        });
    }

    @Test
    void anIndicatorInActuatorsReadinessGroupIsRequiredForReadiness() {
        runner.withUserConfiguration(SlowIndicator.class)
                .withPropertyValues("management.endpoint.health.group.readiness.include=readinessState,slow")
                .run(context -> assertThat(snapshot(context.getBean(HealthRegistry.class), "slow").required())
                        .isTrue());
    }

    @Test
    void aContributorNamedLikeAGroupFailsTheStartAsBoot35Does() {
        runner.withBean("livenessHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("\"liveness\" clashes with group"));
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

    @Test
    void backsOffWhenDisabled() {
        runner.withUserConfiguration(SlowIndicator.class).withPropertyValues("readiness.actuator.enabled=false")
                .run(context -> {
                    assertThat(context.getBean("livenessStateHealthIndicator"))
                            .isInstanceOf(LivenessStateHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(ProbeGroupsPostProcessor.class);
                    assertThat(context).doesNotHaveBean(ProbeHealthIndicator.class);
                    assertThat(context.getBean(HealthContributorRegistry.class).getContributor("slow"))
                            .isSameAs(context.getBean("slowHealthIndicator"));
                });
    }

    @Test
    void backsOffWhenTheRegistryIsOff() {
        runner.withPropertyValues("readiness.enabled=false").run(context ->
                assertThat(context.getBean("livenessStateHealthIndicator"))
                        .isInstanceOf(LivenessStateHealthIndicator.class));
    }

    @Test
    void backsOffWithoutActuatorOnTheClassPath() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessActuatorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(HealthRegistry.class);
                    assertThat(context).doesNotHaveBean(ProbeHealthIndicator.class);
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
