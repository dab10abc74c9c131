package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.probe.HealthRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link HealthRegistry}: checks evaluated in the background with the
 * {@code readiness.checks.*} schedule, check beans registered automatically, startup marked when the
 * application is ready, and Spring's {@link ApplicationAvailability} kept in step.
 * <p>
 * Every other readiness auto-configuration runs after this one and builds on its {@code HealthRegistry} bean.
 * Off with {@code readiness.enabled=false}.
 */
@AutoConfiguration(after = ApplicationAvailabilityAutoConfiguration.class)
@ConditionalOnClass(HealthRegistry.class)
@ConditionalOnReadinessFlag("readiness.enabled")
@EnableConfigurationProperties(ReadinessProperties.class)
public final class ReadinessAutoConfiguration {

    ReadinessAutoConfiguration() {
        BootGeneration.current(); // one Spring Boot generation of readiness, or a start failure saying which to keep
    }

    /**
     * Not started here: {@link CheckBeanRegistrar} starts it once every check bean is registered. Closed with
     * the context.
     *
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.checks.*} value
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    HealthRegistry healthRegistry(ReadinessSettings settings) {
        return HealthRegistry.builder().dependencyDefaults(settings.checks()).build();
    }

    /** The Spring Boot front end of readiness' settings: each key read once, by its feature's builder. */
    @Bean
    @ConditionalOnMissingBean
    ReadinessSettings readinessSettings(Environment environment) {
        return ReadinessSettings.of(environment);
    }

    @Bean
    @ConditionalOnMissingBean
    CheckBeanRegistrar readinessCheckBeanRegistrar(ListableBeanFactory beans, HealthRegistry registry) {
        return new CheckBeanRegistrar(beans, registry);
    }

    /** Says at start which readiness modules are absent, what the application goes without, and what to add. */
    @Bean
    MissingModules readinessMissingModules(ApplicationContext context) {
        return new MissingModules(context.getClassLoader(), context.getEnvironment());
    }

    /** Probe and check meters ({@code readiness.probe.*}, {@code readiness.check.*}) when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        dev.readiness.core.metrics.ProbeMetrics readinessProbeMetrics(HealthRegistry registry) {
            return new dev.readiness.core.metrics.ProbeMetrics(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(ApplicationAvailability.class)
    static final class AvailabilityConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SpringAvailabilityBridge readinessAvailabilityBridge(HealthRegistry registry,
                                                             ApplicationAvailability availability,
                                                             ApplicationContext context) {
            return new SpringAvailabilityBridge(registry, availability, context);
        }
    }
}
