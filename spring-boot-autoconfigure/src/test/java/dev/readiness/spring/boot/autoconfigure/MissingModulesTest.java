package dev.readiness.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class MissingModulesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class));

    @Test
    void everyModulePresentAndARedisUriSetSaysNothing() {
        runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1")
                .run(context -> assertThat(context.getBean(MissingModules.class).lines()).isEmpty());
    }

    @Test
    void eachAbsentModuleIsNamedWithWhatTheApplicationGoesWithout() {
        runner.withClassLoader(new FilteredClassLoader("dev.readiness.health", "dev.readiness.sessions",
                "dev.readiness.gc")).run(context -> assertThat(context.getBean(MissingModules.class).lines())
                .satisfiesExactly(
                        health -> assertThat(health).contains("readiness-health is not on the class path",
                                "no management server", "Add dev.readiness:readiness-health",
                                "dev.readiness:readiness-spring-boot-starter"),
                        sessions -> assertThat(sessions).contains("readiness-sessions is not on the class path",
                                "servlet container", "Add dev.readiness:readiness-sessions"),
                        gc -> assertThat(gc).contains("readiness-gc-tuning is not on the class path",
                                "GC-pressure", "Add dev.readiness:readiness-gc-tuning")));
    }

    @Test
    void onlyTheAbsentModuleIsNamed() {
        runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader("dev.readiness.gc"))
                .run(context -> assertThat(context.getBean(MissingModules.class).lines()).singleElement()
                        .asString().contains("readiness-gc-tuning"));
    }

    @Test
    void sessionsPresentWithoutARedisUriNameTheKeyToSet() {
        runner.run(context -> assertThat(context.getBean(MissingModules.class).lines()).singleElement()
                .asString().contains("set readiness.sessions.redis.uri (READINESS_SESSIONS_REDIS_URI)"));
    }

    @Test
    void aSpringGrpcServerWithoutReadinessGrpcOrGrpcServicesIsNamed() {
        runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader("dev.readiness.grpc"))
                .run(context -> assertThat(context.getBean(MissingModules.class).lines()).singleElement()
                        .asString().contains("readiness-grpc is not on the class path", "Spring gRPC servers",
                                "Add dev.readiness:readiness-grpc"));
        runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader("io.grpc.health"))
                .run(context -> assertThat(context.getBean(MissingModules.class).lines()).singleElement()
                        .asString().contains("io.grpc:grpc-services is not on the class path",
                                "grpc.health.v1.Health", "Add io.grpc:grpc-services"));
        // without Spring gRPC, neither is named
        runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1")
                .withClassLoader(new FilteredClassLoader("org.springframework.grpc", "dev.readiness.grpc",
                        "io.grpc.health"))
                .run(context -> assertThat(context.getBean(MissingModules.class).lines()).isEmpty());
    }
}
