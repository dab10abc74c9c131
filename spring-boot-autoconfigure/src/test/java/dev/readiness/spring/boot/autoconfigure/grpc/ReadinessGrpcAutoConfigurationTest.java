package dev.readiness.spring.boot.autoconfigure.grpc;

import dev.readiness.grpc.GrpcMetrics;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.drain.ReadinessDrainAutoConfiguration;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.server.ServerBuilderCustomizer;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The conditions of {@link ReadinessGrpcAutoConfiguration}, without starting a server. */
class ReadinessGrpcAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessDrainAutoConfiguration.class, ReadinessGrpcAutoConfiguration.class))
            .withPropertyValues("readiness.management.enabled=false");

    private final ApplicationContextRunner withService = runner.withBean("echo", BindableService.class,
            () -> () -> ServerServiceDefinition.builder("test.Echo").build());

    @Test
    void wiresAnApplicationWithAGrpcService() {
        withService.withPropertyValues("readiness.grpc.max-connection-age=90s").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReadinessGrpc.class).hasSingleBean(GrpcMetrics.class)
                    .hasBean("readinessGrpcServerCustomizer").hasBean("readinessGrpcConnectionAgeCustomizer");
            assertThat(context.getBean(GrpcSettings.class).maxConnectionAge()).isEqualTo(Duration.ofSeconds(90));
            // not a BindableService itself: Spring gRPC must not bind the health service a second time
            assertThat(context.getBeansOfType(BindableService.class)).containsOnlyKeys("echo");
        });
    }

    @Test
    void backsOffWithoutAGrpcServiceWithoutSpringGrpcOrWhenTurnedOff() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadinessGrpc.class));
        withService.withClassLoader(new FilteredClassLoader(ServerBuilderCustomizer.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadinessGrpc.class));
        withService.withPropertyValues("readiness.grpc.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadinessGrpc.class));
        withService.withPropertyValues("readiness.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReadinessGrpc.class));
    }

    @Test
    void aBadValueFailsTheContextNamingTheKey() {
        withService.withPropertyValues("readiness.grpc.max-connection-age-grace=-1s").run(context ->
                assertThat(configProblem(context.getStartupFailure()))
                        .startsWith("readiness.grpc.max-connection-age-grace=-1s is invalid"));
        withService.withPropertyValues("readiness.grpc.enabled=perhaps").run(context ->
                assertThat(configProblem(context.getStartupFailure())).startsWith("readiness.grpc.enabled=perhaps is invalid"));
    }

    /** The message of the ReadinessConfigException in {@code e}'s causes, or null. */
    private static String configProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.readiness.core.config.ReadinessConfigException) {
                return t.getMessage();
            }
        }
        return null;
    }
}
