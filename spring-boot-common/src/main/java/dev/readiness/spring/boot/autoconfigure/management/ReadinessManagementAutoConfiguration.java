package dev.readiness.spring.boot.autoconfigure.management;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.management.ManagementSettings;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * readiness' own management server (readiness-health): {@code GET /livez}, {@code /readyz}, {@code /startupz}
 * on {@code readiness.management.port} (8081), apart from application traffic, answered from the registry's
 * latest reports; {@code /metrics} in the Prometheus format when a {@link PrometheusMeterRegistry} is in the
 * context. It needs neither Actuator nor a servlet container, and serves from the moment the context creates
 * it, so the startup probe answers while the application starts. Stopped last, when the context is destroyed,
 * so the probes answer during the whole drain. Off with {@code readiness.management.enabled=false} (for example
 * when Actuator's probes are all you use).
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        // Spring Boot 3.5's (an absent name is ignored); the 3.5 module's own registry orders itself before this
        "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(ManagementServer.class)
@ConditionalOnReadinessFlag("readiness.management.enabled")
public final class ReadinessManagementAutoConfiguration {

    ReadinessManagementAutoConfiguration() {
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.management.*} value
     * @throws IllegalStateException when the port is taken, naming the port and the key to change
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ManagementServer readinessManagementServer(HealthRegistry registry, ReadinessSettings settings,
                                               ObjectProvider<ManagementEndpoint> endpoints) {
        ManagementServer.Builder builder = ManagementServer.builder(registry)
                .settings(ManagementSettings.from(settings));
        endpoints.orderedStream().forEach(e -> builder.handler(e.path(), e.handler()));
        return builder.start();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({PrometheusMeterRegistry.class, PrometheusHandler.class})
    @ConditionalOnBean(PrometheusMeterRegistry.class)
    static final class PrometheusEndpoint {

        @Bean
        @ConditionalOnMissingBean(name = "readinessPrometheusEndpoint")
        ManagementEndpoint readinessPrometheusEndpoint(PrometheusMeterRegistry registry) {
            return new ManagementEndpoint("/metrics", PrometheusHandler.of(registry));
        }
    }
}
