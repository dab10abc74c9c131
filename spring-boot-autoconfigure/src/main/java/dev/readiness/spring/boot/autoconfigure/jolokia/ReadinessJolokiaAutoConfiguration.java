package dev.readiness.spring.boot.autoconfigure.jolokia;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.health.jolokia.JolokiaConfig;
import dev.readiness.health.jolokia.JolokiaEndpoint;
import dev.readiness.health.jolokia.JolokiaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * The read-only Jolokia endpoint of readiness-health, off by default: {@code readiness.jolokia.enabled=true}
 * starts it on {@code readiness.jolokia.host}:{@code port} (loopback, 8778) with readiness' access policy, and
 * closes it with the context. Turned on without Jolokia's agent on the class path, the start fails and names the
 * artifact to add.
 */
@AutoConfiguration
@ConditionalOnClass(JolokiaSettings.class)
@ConditionalOnBooleanProperty(name = "readiness.jolokia.enabled")
@EnableConfigurationProperties(JolokiaProperties.class)
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
        JolokiaEndpoint readinessJolokiaEndpoint(JolokiaProperties properties) {
            JolokiaEndpoint endpoint = JolokiaEndpoint.start(settings(properties));
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

    /** readiness-health's own rules ({@link JolokiaConfig#toSettings()}), over what the application set. */
    static JolokiaSettings settings(JolokiaProperties p) {
        JolokiaConfig config = new JolokiaConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String host() {
                return p.getHost() != null ? p.getHost() : JolokiaSettings.DEFAULT_HOST;
            }

            @Override
            public int port() {
                return p.getPort() != null ? p.getPort() : JolokiaSettings.DEFAULT_PORT;
            }

            @Override
            public Optional<String> user() {
                return Optional.ofNullable(p.getUser());
            }

            @Override
            public Optional<String> password() {
                return Optional.ofNullable(p.getPassword());
            }
        };
        return config.toSettings().orElseThrow();
    }
}
