package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnCloudPlatform;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.context.annotation.Bean;

/**
 * Drain on Kubernetes: readiness DOWN as soon as the context begins to close, then the propagation delay
 * before the web server's graceful shutdown stops accepting. Checks at start that the drain fits the
 * termination grace period and warns when it does not. Only on Kubernetes (detected, or
 * {@code spring.main.cloud-platform=kubernetes}): elsewhere nobody routes by readiness and the delay would only
 * slow shutdown. Off with {@code readiness.drain.enabled=false}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnCloudPlatform(CloudPlatform.KUBERNETES)
@ConditionalOnBooleanProperty(name = "readiness.drain.enabled", matchIfMissing = true)
public final class ReadinessDrainAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReadinessDrainAutoConfiguration.class);

    ReadinessDrainAutoConfiguration() {
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.drain.*} value
     */
    @Bean
    @ConditionalOnMissingBean
    DrainSettings readinessDrainSettings(ReadinessProperties properties) {
        DrainSettings settings = DrainSettings.from(properties.getDrain());
        if (!settings.fitsGracePeriod()) {
            log.warn("readiness.drain.propagation-delay ({}) + readiness.drain.timeout ({}) = {} exceeds"
                            + " readiness.drain.termination-grace-period ({}): Kubernetes will SIGKILL the pod before"
                            + " the drain ends. Raise the pod's terminationGracePeriodSeconds (and this setting) or"
                            + " shorten the drain.", settings.propagationDelay(), settings.timeout(), settings.budget(),
                    settings.terminationGracePeriod());
        }
        return settings;
    }

    @Bean
    @ConditionalOnMissingBean
    PropagationDelayLifecycle readinessPropagationDelay(HealthRegistry registry, DrainSettings settings) {
        return new PropagationDelayLifecycle(registry, settings.propagationDelay());
    }
}
