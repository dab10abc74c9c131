package dev.readiness.spring.boot.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every readiness auto-configuration together, with one optional module or library hidden at a time: the
 * context starts, the beans of what is hidden are absent, and those of what is present stay. (Whether a class of
 * a missing jar is loaded from an unguarded code path is proved by the brand-new applications of
 * {@code NewApplicationsIT}: here the classes are only hidden from the conditions.)
 */
class BackOffTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(readinessAutoConfigurations()))
            .withPropertyValues("readiness.management.port=0", "readiness.drain.enabled=true",
                    "readiness.drain.propagation-delay=1ms",
                    "readiness.listen.enabled=false");

    @ParameterizedTest(name = "without {0}: no {1}, still {2}")
    @CsvSource(delimiter = '|', value = {
            "dev.readiness.health      | readinessManagementServer     | readinessSessionFilter    | true",
            "dev.readiness.sessions    | readinessSessionFilter        | readinessManagementServer | true",
            "dev.readiness.gc          | readinessGcAdvice             | readinessManagementServer | false",
            "io.lettuce                | readinessSessionFilter        | readinessGcAdvice         | true",
            "com.zaxxer.hikari         | readinessDataSourceChecks     | readinessManagementServer | false",
            "io.github.resilience4j    | readinessCircuitBreakerChecks | readinessManagementServer | false",
            "io.micrometer             | readinessDrainMetrics         | readinessGracefulDrain    | false",
    })
    void eachAbsentIntegrationBacksOffAndTheRestStays(String hidden, String absentBean, String presentBean,
                                                      boolean sessions) {
        // a refused port: the store's background connect fails at once and nothing waits on it
        WebApplicationContextRunner runner = sessions
                ? this.runner.withPropertyValues("readiness.sessions.redis.uri=redis://127.0.0.1:1") : this.runner;
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).as("with everything").hasBean(absentBean).hasBean(presentBean);
        });
        runner.withClassLoader(new FilteredClassLoader(hidden)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).as("without " + hidden).doesNotHaveBean(absentBean).hasBean(presentBean);
        });
    }

    private static Class<?>[] readinessAutoConfigurations() {
        return AutoConfigurationImports.classes();
    }
}
