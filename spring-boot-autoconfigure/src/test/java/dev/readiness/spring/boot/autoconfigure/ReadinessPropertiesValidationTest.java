package dev.readiness.spring.boot.autoconfigure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Every readiness.* key with a bad value fails the start, and the report names key, value and what is allowed. */
class ReadinessPropertiesValidationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class));

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.checks.interval          | 0s    | must be a positive duration",
            "readiness.checks.interval          | -5s   | must be a positive duration",
            "readiness.checks.timeout           | 0ms   | must be a positive duration",
            "readiness.checks.failure-threshold | 0     | must be at least 1",
            "readiness.checks.failure-threshold | -3    | must be at least 1",
            "readiness.checks.success-threshold | 0     | must be at least 1",
            "readiness.checks.stale-after       | 1s    | must be at least interval + timeout (7s)",
            "readiness.checks.initial-retry-delay | -1s | must be 0 (off) or a positive duration",
    })
    void aBadValueFailsTheStartWithDescriptionAndAction(String key, String value, String allowed) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            var analysis = StartFailures.analysisNaming(context, key, allowed);
            assertThat(analysis.getDescription()).containsAnyOf("'" + value + "'", "'PT");
            String env = key.toUpperCase().replace('.', '_').replace('-', '_');
            assertThat(analysis.getAction()).contains("Update '" + key + "'", env, allowed);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.checks.interval          | banana",
            "readiness.checks.timeout           | 5",
            "readiness.checks.failure-threshold | many",
    })
    void aValueThatDoesNotConvertFailsTheStartNamingKeyAndValue(String key, String value) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            // a bare number (5) is refused here as in every front end: it could mean seconds or milliseconds
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isNotNull();
            String all = describe(context.getStartupFailure());
            assertThat(all).contains(value);
            assertThat(all).contains(key);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.checks.interval          | ''",
            "readiness.checks.timeout           | ' '",
    })
    void anEmptyDurationMeansNotSetAndKeepsTheDefault(String key, String value) {
        // the MicroProfile rule, which readiness-core follows too: an empty value is no value
        runner.withPropertyValues(key + "=" + value).run(context -> {
            assertThat(context).hasNotFailed();
            var options = context.getBean(ReadinessSettings.class).checks();
            assertThat(options.toString()).isEqualTo(dev.readiness.core.check.CheckOptions.defaults().toString());
        });
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
