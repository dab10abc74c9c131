package dev.readiness.spring.boot.autoconfigure.liveness;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReadinessLivenessAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessLivenessAutoConfiguration.class));

    @Test
    void theDeadlockCheckIsALivenessCheckEvaluatedInTheBackgroundAndUpWithoutADeadlock() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.checks()).filteredOn(c -> c.name().equals(DeadlockCheck.NAME))
                    .singleElement().satisfies(c -> assertThat(c.probe()).isEqualTo(Probe.LIVENESS));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.checks().stream()
                    .filter(c -> c.name().equals(DeadlockCheck.NAME)).findFirst().orElseThrow().lastCompleted() != null);
            assertThat(registry.report(Probe.LIVENESS).isUp()).isTrue();
        });
    }

    @Test
    void offWithTheFlag() {
        runner.withPropertyValues("readiness.liveness.deadlock.enabled=false").run(context ->
                assertThat(context.getBean(HealthRegistry.class).checks())
                        .noneMatch(c -> c.name().equals(DeadlockCheck.NAME)));
    }

    @Test
    void aFlagValueOutsideTheSyntaxFailsTheStartNamingTheKey() {
        runner.withPropertyValues("readiness.liveness.deadlock.enabled=tru").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("readiness.liveness.deadlock.enabled")
                    .hasStackTraceContaining("'tru' is not true or false");
        });
    }

    @Test
    void anApplicationsOwnDeadlockCheckIsKeptAndNotRegisteredTwice() {
        runner.withBean("ownDeadlock", CheckRegistration.class,
                        () -> CheckRegistration.liveness(DeadlockCheck.NAME, CheckResult::up))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(HealthRegistry.class).checks())
                            .filteredOn(c -> c.name().equals(DeadlockCheck.NAME)).hasSize(1);
                });
    }

    @Test
    void theHttpListenerCheckOnlyInAWebApplicationAndOffWithItsFlag() {
        runner.run(context -> assertThat(context.getBean(HealthRegistry.class).checks())
                .noneMatch(c -> c.name().equals("http-listener")));
        WebApplicationContextRunner web = new WebApplicationContextRunner(
                org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessLivenessAutoConfiguration.class,
                        org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration.class))
                .withPropertyValues("server.port=0", "server.address=127.0.0.1");
        web.run(context -> assertThat(context.getBean(HealthRegistry.class).checks())
                .filteredOn(c -> c.name().equals("http-listener")).singleElement()
                .satisfies(c -> assertThat(c.probe()).isEqualTo(Probe.LIVENESS)));
        web.withPropertyValues("readiness.liveness.http-listener.enabled=false").run(context ->
                assertThat(context.getBean(HealthRegistry.class).checks())
                        .noneMatch(c -> c.name().equals("http-listener")));
        web.withPropertyValues("readiness.liveness.http-listener.enabled=yes please").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("readiness.liveness.http-listener.enabled");
        });
    }
}
