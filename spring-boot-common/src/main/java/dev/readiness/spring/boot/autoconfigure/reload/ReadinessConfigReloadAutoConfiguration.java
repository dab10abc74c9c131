package dev.readiness.spring.boot.autoconfigure.reload;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadMetrics;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * ConfigMap reload ({@code readiness.config.dir}): the directory is a property source (added before the beans
 * bind by each Spring Boot generation's {@code ConfigMapEnvironmentPostProcessor}), reloaded in place when the kubelet swaps {@code ..data};
 * {@code @ConfigurationProperties} beans are rebound all together after validation, or not at all, and a
 * {@link ConfigMapReloadedEvent} follows. The watcher is a bean (closed with the context); meters
 * {@code readiness.config.*} with Micrometer. Off with {@code readiness.config.enabled=false}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(ConfigMapWatcher.class)
@ConditionalOnProperty("readiness.config.dir")
@ConditionalOnReadinessFlag("readiness.config.enabled")
public final class ReadinessConfigReloadAutoConfiguration {

    ReadinessConfigReloadAutoConfiguration() {
    }

    /**
     * The property source's watcher, with the context's beans attached for rebinding. When the environment post
     * processor did not run (a test's context runner), the source is added now.
     *
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.config.*} value or a
     *                                                            directory that cannot be loaded
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ConfigMapWatcher readinessConfigMapWatcher(ConfigurableEnvironment environment, ApplicationContext context) {
        ConfigMapPropertySource source = ConfigMapPropertySource.install(environment);
        if (source == null) {
            throw new IllegalStateException("readiness.config.dir is set but no ConfigMap property source was added");
        }
        source.rebinder().attach(context);
        return source.watcher();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        ConfigReloadMetrics readinessConfigReloadMetrics(ConfigMapWatcher watcher) {
            return new ConfigReloadMetrics(watcher);
        }
    }
}
