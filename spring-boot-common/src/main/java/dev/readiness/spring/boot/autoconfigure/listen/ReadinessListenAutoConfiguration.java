package dev.readiness.spring.boot.autoconfigure.listen;

import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Condition;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.core.listen.ListenQueueCheck;
import dev.readiness.core.listen.ListenQueueMetrics;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listen-queue probe: accept-queue overflows and drops of the pod, and the effective backlog (the smaller of
 * what the embedded server asks for and {@code net.core.somaxconn}), read from /proc. The requested backlog is
 * read from the embedded server (Tomcat's {@code server.tomcat.accept-count}, Jetty's acceptQueueSize). The probe
 * starts sampling once the application is ready (the server listens; a backlog below
 * {@code readiness.listen.min-backlog} is logged then), and stops with the context. Meters
 * {@code readiness.listen.*} with Micrometer; a readiness check with
 * {@code readiness.listen.readiness-on-overflow=true}. Off with {@code readiness.listen.enabled=false}.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(ListenQueueProbe.class)
@Conditional(ReadinessListenAutoConfiguration.Enabled.class)
public final class ReadinessListenAutoConfiguration {

    ReadinessListenAutoConfiguration() {
    }

    /**
     * {@code readiness.listen.enabled}, read with the one boolean syntax of every key; a value it refuses fails
     * the start naming the key rather than turning the probe off.
     */
    static final class Enabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return ReadinessSettings.of(context.getEnvironment()).text(ListenQueueSettings.ENABLED.name())
                    .map(ListenQueueSettings.ENABLED::parse).orElse(ListenQueueSettings.ENABLED.defaultValue());
        }
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.listen.*} value
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ListenQueueProbe readinessListenQueueProbe(ReadinessSettings readiness, HealthRegistry registry,
                                               ApplicationContext context) {
        ListenQueueSettings settings = readiness.listen();
        ListenQueueProbe probe = ListenQueueProbe.builder(settings)
                .requestedBacklog(new ServerBacklog(context, settings.requestedBacklog())).build();
        ListenQueueCheck.registerIfEnabled(registry, probe);
        return probe;
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> readinessListenQueueStart(ObjectProvider<ListenQueueProbe> probe,
                                                                         ApplicationContext context) {
        return event -> {
            if (event.getApplicationContext() == context) {
                probe.ifAvailable(p -> {
                    try {
                        p.start();
                    } catch (IllegalStateException alreadyStarted) {
                        // an application's own probe bean, which it started itself
                    }
                });
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        ListenQueueMetrics readinessListenQueueMetrics(ListenQueueProbe probe) {
            return new ListenQueueMetrics(probe);
        }
    }
}
