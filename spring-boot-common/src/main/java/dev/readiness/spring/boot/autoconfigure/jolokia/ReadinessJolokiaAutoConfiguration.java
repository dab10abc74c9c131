package dev.readiness.spring.boot.autoconfigure.jolokia;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.health.jolokia.JolokiaOptions;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.health.jolokia.JolokiaEndpoint;
import dev.readiness.health.jolokia.JolokiaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;


/**
 * The read-only Jolokia endpoint of readiness-health, off by default: {@code readiness.jolokia.enabled=true}
 * starts it on {@code readiness.jolokia.host}:{@code port} (loopback, 8778) with readiness' access policy, and
 * closes it with the context. Turned on without Jolokia's agent on the class path, the start fails and names the
 * artifact to add.
 */
@AutoConfiguration
@ConditionalOnClass(JolokiaSettings.class)
@Conditional(ReadinessJolokiaAutoConfiguration.Enabled.class)
public final class ReadinessJolokiaAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReadinessJolokiaAutoConfiguration.class);

    ReadinessJolokiaAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.jolokia.jvmagent.JolokiaServer")
    static final class Endpoint {

        /**
         * @throws ReadinessConfigException on a bad {@code readiness.jolokia.*} value
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        JolokiaEndpoint readinessJolokiaEndpoint(Environment environment) {
            JolokiaEndpoint endpoint = JolokiaEndpoint.start(settings(ReadinessSettings.of(environment)));
            log.info("Jolokia (read-only) at {}", endpoint.url());
            return endpoint;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.jolokia.jvmagent.JolokiaServer")
    static final class AgentMissing {

        AgentMissing() {
            throw new ReadinessConfigException("readiness.jolokia.enabled", true,
                    "needs Jolokia's agent on the class path: add org.jolokia:jolokia-agent-jvm");
        }
    }

    /**
     * readiness-health's own keys and rules ({@link JolokiaOptions}), over what the application set.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    static JolokiaSettings settings(ReadinessSettings settings) {
        JolokiaOptions options = JolokiaOptions.from(settings);
        try {
            return options.settings().orElseThrow();
        } catch (ReadinessConfigException e) {
            String written = e.key() == null ? null : settings.text(e.key()).orElse(null);
            throw written == null || written.equals(e.value()) ? e
                    : new ReadinessConfigException(e.key(), written, e.allowed(), e);
        }
    }

    /** {@code readiness.jolokia.enabled}, read with the one boolean syntax of every key. */
    static final class Enabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return ReadinessSettings.of(context.getEnvironment()).text(JolokiaOptions.ENABLED.name())
                    .map(JolokiaOptions.ENABLED::parse).orElse(JolokiaOptions.ENABLED.defaultValue());
        }
    }
}
