package dev.readiness.spring.boot3.autoconfigure.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

/**
 * The Prometheus registry that readiness's management server serves as {@code /metrics}, for a Spring Boot 3.5
 * application without Actuator. Boot 4 has its metrics auto-configuration in a module of its own
 * ({@code spring-boot-micrometer-metrics}, which the Boot 4 starter brings); Boot 3.5 has it only in
 * {@code spring-boot-actuator-autoconfigure}, which would also open Actuator's endpoints on the application's
 * port. So without Actuator this registry is made here, with Micrometer's JVM and process binders and every
 * {@link MeterBinder} bean bound to it (readiness's own meters are binders). With Actuator on the class path,
 * Actuator's registry is used and this backs off.
 */
@AutoConfiguration(beforeName = "dev.readiness.spring.boot.autoconfigure.management.ReadinessManagementAutoConfiguration")
@ConditionalOnClass(PrometheusMeterRegistry.class)
@ConditionalOnMissingClass("org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration")
public final class ReadinessPrometheusAutoConfiguration {

    ReadinessPrometheusAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(PrometheusMeterRegistry.class)
    PrometheusMeterRegistry readinessPrometheusMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    // Micrometer's JVM and process binders as beans, as Actuator declares them (readiness's GC metrics then bind
    // only their own gauges beside JvmGcMetrics).

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JvmGcMetrics readinessJvmGcMetrics() {
        return new JvmGcMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    JvmMemoryMetrics readinessJvmMemoryMetrics() {
        return new JvmMemoryMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    JvmThreadMetrics readinessJvmThreadMetrics() {
        return new JvmThreadMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    ClassLoaderMetrics readinessClassLoaderMetrics() {
        return new ClassLoaderMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessorMetrics readinessProcessorMetrics() {
        return new ProcessorMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    UptimeMetrics readinessUptimeMetrics() {
        return new UptimeMetrics();
    }

    /** Binds every {@link MeterBinder} bean once all singletons exist, as Actuator's registry post-processor does. */
    @Bean
    static SmartInitializingSingleton readinessMeterBinders(ObjectProvider<PrometheusMeterRegistry> registry,
                                                            ObjectProvider<MeterBinder> binders) {
        return () -> registry.ifAvailable(r -> binders.orderedStream().forEach(b -> b.bindTo(r)));
    }
}
