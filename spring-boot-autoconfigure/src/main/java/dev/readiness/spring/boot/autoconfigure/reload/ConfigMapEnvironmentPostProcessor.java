package dev.readiness.spring.boot.autoconfigure.reload;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds the watched ConfigMap directory ({@code readiness.config.dir}) to the environment before any bean is
 * bound, so {@code @ConfigurationProperties} beans and {@code @Value} see its keys from the start. Runs after
 * Boot's config data (application.properties can name the directory).
 */
public final class ConfigMapEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** After {@code ConfigDataEnvironmentPostProcessor} (highest precedence + 10). */
    public static final int ORDER = ConfigMapPropertySource.POST_PROCESSOR_ORDER;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ConfigMapPropertySource.installUnlessDisabled(environment);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
