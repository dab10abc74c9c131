package dev.readiness.spring.boot3.autoconfigure;

import dev.readiness.spring.boot.autoconfigure.reload.ConfigMapPropertySource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds the watched ConfigMap directory ({@code readiness.config.dir}) to the environment before any bean is bound,
 * as the Boot 4 module does with Boot 4's interface of the same name. Runs after Boot's config data.
 */
public final class ConfigMapEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** After {@code ConfigDataEnvironmentPostProcessor} (highest precedence + 10). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (Boolean.parseBoolean(environment.getProperty("readiness.enabled", "true"))) {
            ConfigMapPropertySource.install(environment);
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
