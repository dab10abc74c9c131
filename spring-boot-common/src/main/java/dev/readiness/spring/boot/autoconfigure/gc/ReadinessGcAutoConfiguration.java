package dev.readiness.spring.boot.autoconfigure.gc;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import dev.readiness.gc.runtime.GcAdvisor;
import dev.readiness.gc.runtime.GcSettings;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcPressureSettings;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

/**
 * The run-time side of readiness-gc-tuning: at start the GC advisor logs what in the JVM disagrees with its
 * container (heap, collector, CPUs); the {@value GcRuntime#CHECK_NAME} liveness check turns liveness DOWN when the
 * JVM has spent most of its time in GC, or kept its heap full after collections, for the whole window, which a
 * restart cures. Meters {@code readiness.gc.pressure.*} with Micrometer. Off with {@code readiness.gc.enabled=false};
 * each part with {@code readiness.gc.advisor.enabled} and {@code readiness.gc.pressure.enabled}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(GcPressureCheck.class)
@ConditionalOnReadinessFlag("readiness.gc.enabled")
public final class ReadinessGcAutoConfiguration {

    ReadinessGcAutoConfiguration() {
    }

    /** What the advisor logged at start (empty list when it agrees or is off). */
    @Bean
    @ConditionalOnMissingBean
    GcAdvice readinessGcAdvice(ReadinessSettings settings) {
        return new GcAdvice(GcSettings.from(settings).advisorEnabled() ? GcAdvisor.logAtStart() : List.of());
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.gc.pressure.*} value
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(ReadinessGcAutoConfiguration.PressureEnabled.class)
    GcPressure readinessGcPressure(ReadinessSettings settings) {
        return new GcPressure(new GcPressureCheck(GcSettings.from(settings).pressure()));
    }

    /**
     * Registered for liveness under {@value GcRuntime#CHECK_NAME}: it reads only in-process GC figures. Not when
     * the application registers a check of that name itself (a {@link CheckRegistration} bean).
     */
    @Bean
    @Conditional(ReadinessGcAutoConfiguration.PressureEnabled.class)
    @ConditionalOnMissingBean(name = "readinessGcPressureRegistration")
    CheckContributor readinessGcPressureRegistration(GcPressure pressure, ListableBeanFactory beans) {
        return () -> beans.getBeansOfType(CheckRegistration.class, false, false).values().stream()
                .anyMatch(r -> r.probe() == Probe.LIVENESS && r.name().equals(GcRuntime.CHECK_NAME))
                ? List.of() : List.of(CheckRegistration.liveness(GcRuntime.CHECK_NAME, pressure.check()));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, GcPressureMetrics.class})
    @Conditional(ReadinessGcAutoConfiguration.PressureEnabled.class)
    static final class Metrics {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        GcPressureMetrics readinessGcPressureMetrics(GcPressure pressure,
                org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.binder.jvm.JvmGcMetrics> bootJvmGc) {
            // Spring Boot's JVM metrics bind Micrometer's GC binder already: bind only the check's own gauges then.
            return new GcPressureMetrics(pressure.check(), bootJvmGc.getIfAvailable() == null);
        }
    }

    /**
     * {@code readiness.gc.pressure.enabled}, read with the one boolean syntax of every key; a value it refuses
     * fails the start naming the key rather than turning the check off.
     */
    static final class PressureEnabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return ReadinessSettings.of(context.getEnvironment()).text(GcSettings.PRESSURE_ENABLED.name())
                    .map(GcSettings.PRESSURE_ENABLED::parse).orElse(GcSettings.PRESSURE_ENABLED.defaultValue());
        }
    }
}
