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
