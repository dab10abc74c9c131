package dev.readiness.spring.boot.autoconfigure.dependencies;

import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ReadinessDependenciesAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessDependenciesAutoConfiguration.class));

    private static java.util.List<String> names(HealthRegistry registry) {
        return registry.checks().stream().map(CheckSnapshot::name).toList();
    }

    @Test
    void eachPoolFactoryAndBreakerBecomesANamedReadinessCheck() {
        runner.withBean("dataSource", HikariDataSource.class, HikariDataSource::new)
                .withBean("reportingDataSource", HikariDataSource.class, HikariDataSource::new)
                .withBean("plainDataSource", DataSource.class, SimpleDriverDataSource::new)
                .withBean("redisConnectionFactory", LettuceConnectionFactory.class,
                        () -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1)))
                .withBean("payments", CircuitBreaker.class, () -> CircuitBreaker.ofDefaults("payments"))
                .withBean(CircuitBreakerRegistry.class, () -> {
                    CircuitBreakerRegistry r = CircuitBreakerRegistry.ofDefaults();
                    r.circuitBreaker("inventory");
                    return r;
                })
                .run(context -> {
                    assertThat(context.getBeansOfType(CheckContributor.class)).hasSize(3);
                    assertThat(names(context.getBean(HealthRegistry.class))).contains("db", "db-reportingDataSource",
                            "redis", "circuitbreaker-payments", "circuitbreaker-inventory")
                            .doesNotContain("db-plainDataSource");
                });
    }

    private static boolean required(HealthRegistry registry, String name) {
        return registry.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name)).required();
    }

    private ApplicationContextRunner threeKinds() {
        return runner.withBean("dataSource", HikariDataSource.class, HikariDataSource::new)
                .withBean("redisConnectionFactory", LettuceConnectionFactory.class,
                        () -> new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1)))
                .withBean("payments", CircuitBreaker.class, () -> CircuitBreaker.of("payments",
                        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                                .automaticTransitionFromOpenToHalfOpenEnabled(true).build()));
    }

    @Test
    void sharedDependenciesAreDegradedByDefault() {
        threeKinds().run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(required(registry, "db")).isFalse();
            assertThat(required(registry, "redis")).isFalse();
            assertThat(required(registry, "circuitbreaker-payments")).isFalse();
        });
    }

    @Test
    void requiredNamesTakeEffectTrimmedAndStarMeansAll() {
        threeKinds().withPropertyValues("readiness.dependencies.required= db ,,circuitbreaker-payments")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(required(registry, "db")).isTrue();
                    assertThat(required(registry, "redis")).isFalse();
                    assertThat(required(registry, "circuitbreaker-payments")).isTrue();
                });
        threeKinds().withPropertyValues("readiness.dependencies.required=*").run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(required(registry, "db")).isTrue();
            assertThat(required(registry, "redis")).isTrue();
        });
    }

    @Test
    void aRequiredNameNoCheckHasIsWarnedAboutAndRequiresNothing(
            org.springframework.boot.test.system.CapturedOutput output) {
        threeKinds().withPropertyValues("readiness.dependencies.required=dbx,<script>").run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(required(registry, "db")).isFalse();
            assertThat(output).contains("readiness.dependencies.required names 'dbx', but no readiness check has"
                    + " that name").contains("names '<script>'").contains("[circuitbreaker-payments, db, redis]");
        });
    }

    @Test
    void offWhenDisabled() {
        runner.withBean("dataSource", HikariDataSource.class, HikariDataSource::new)
                .withPropertyValues("readiness.dependencies.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(CheckContributor.class);
                    assertThat(names(context.getBean(HealthRegistry.class))).doesNotContain("db");
                });
    }

    @Test
    void nothingToCheckNothingRegistered() {
        runner.run(context -> assertThat(names(context.getBean(HealthRegistry.class)))
                .noneMatch(n -> n.startsWith("db") || n.startsWith("redis") || n.startsWith("circuitbreaker")));
    }
}
