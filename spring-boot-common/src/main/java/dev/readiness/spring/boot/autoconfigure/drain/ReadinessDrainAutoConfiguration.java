package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.core.drain.DrainMetrics;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.jetty.JettyDrain;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.spring.boot.autoconfigure.reactive.InFlightWebFilter;
import dev.readiness.health.tomcat.TomcatDrain;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnCloudPlatform;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.cloud.CloudPlatform;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.util.EnumSet;

/**
 * The graceful drain, run by Spring's lifecycle when the context closes (SIGTERM from Kubernetes): readiness
 * DOWN at once, keep serving for the propagation delay, stop accepting and answer {@code Connection: close} on
 * Tomcat or Jetty, wait for in-flight requests, and only then let Spring Boot's graceful shutdown, the web
 * server's stop and the closing of pools and clients proceed. After SIGTERM the JVM exits with
 * {@code readiness.drain.exit-code} (0). No preStop hook, no shell: it works on distroless images.
 * <p>
 * On by default on Kubernetes only (detected, or {@code spring.main.cloud-platform=kubernetes});
 * {@code readiness.drain.enabled=true} turns it on anywhere, {@code false} off.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class,
        afterName = {"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
                "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
                // Spring Boot 3.5 (absent names are ignored)
                "org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration"})
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass(GracefulDrain.class)
@ConditionalOnReadinessFlag("readiness.drain.enabled")
@Conditional(ReadinessDrainAutoConfiguration.OnKubernetesOrEnabled.class)
public final class ReadinessDrainAutoConfiguration {

    ReadinessDrainAutoConfiguration() {
    }

    /**
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.drain.*} value
     */
    @Bean
    @ConditionalOnMissingBean
    DrainSettings readinessDrainSettings(ReadinessSettings settings) {
        return settings.drain();
    }

    /**
     * The drain. Register resources that must close after the requests drained, in order and each with a
     * timeout, with {@link GracefulDrain#register}. Its own shutdown hook is not installed: Spring Boot's runs it.
     */
    @Bean
    @ConditionalOnMissingBean
    GracefulDrain readinessGracefulDrain(HealthRegistry registry, DrainSettings settings) {
        return GracefulDrain.builder(registry).settings(settings).build();
    }

    @Bean
    @ConditionalOnMissingBean
    DrainLifecycle readinessDrainLifecycle(GracefulDrain drain) {
        return new DrainLifecycle(drain);
    }

    /** {@code readiness.drain.*} meters: phase, requests in flight, phase durations. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        DrainMetrics readinessDrainMetrics(GracefulDrain drain) {
            return new DrainMetrics(drain);
        }
    }

    /** Tomcat: every request counted by the in-flight filter, accepting stopped through Tomcat's endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({TomcatDrain.class, InFlightFilter.class, FilterRegistrationBean.class})
    @Conditional(OnTomcatFactory.class)
    static final class TomcatDrainConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "readinessInFlightFilter")
        FilterRegistrationBean<InFlightFilter> readinessInFlightFilter(GracefulDrain drain) {
            FilterRegistrationBean<InFlightFilter> registration =
                    new FilterRegistrationBean<>(new InFlightFilter(drain.tracker()));
            registration.setName("readinessInFlightFilter");
            // first in the chain, so the count covers every other filter's work, Spring Security's included
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            registration.setAsyncSupported(true);
            registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
            registration.addUrlPatterns("/*");
            return registration;
        }

        @Bean
        @ConditionalOnMissingBean
        TomcatServerDrain readinessTomcatDrain(GracefulDrain drain, ApplicationContext context) {
            TomcatServerDrain adapter = new TomcatServerDrain(context);
            drain.server(adapter);
            return adapter;
        }
    }

    /** Jetty: requests counted by an in-flight handler around Boot's, accepting stopped on every connector. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JettyDrain.class)
    @Conditional(OnJettyFactory.class)
    static final class JettyDrainConfiguration {

        /** Boot's {@code WebServerFactoryCustomizer} of its Jetty servlet factory, from the generation. */
        @Bean
        @ConditionalOnMissingBean(name = "readinessJettyDrainCustomizer")
        org.springframework.boot.web.server.WebServerFactoryCustomizer<?> readinessJettyDrainCustomizer(
                GracefulDrain drain) {
            JettyServerDrain customizer = new JettyServerDrain(drain);
            return (org.springframework.boot.web.server.WebServerFactoryCustomizer<?>) BootGeneration.current()
                    .jettyServerCustomizer(server -> customizer.customize((org.eclipse.jetty.server.Server) server));
        }
    }

    /**
     * WebFlux on Reactor Netty: every exchange counted by the in-flight web filter, accepting stopped by closing the
     * server's listening channel.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono"})
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static final class ReactiveDrainConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "readinessInFlightWebFilter")
        InFlightWebFilter readinessInFlightWebFilter(GracefulDrain drain) {
            return new InFlightWebFilter(drain.tracker());
        }

        @Bean
        @ConditionalOnMissingBean
        NettyServerDrain readinessNettyDrain(GracefulDrain drain, ApplicationContext context) {
            NettyServerDrain adapter = new NettyServerDrain(context);
            drain.server(adapter);
            return adapter;
        }
    }

    /** A Tomcat servlet web server factory bean, as Spring Boot 4 or 3.5 names it. */
    static final class OnTomcatFactory extends AnyNestedCondition {

        OnTomcatFactory() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(type = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
        static final class Boot4 {
        }

        @ConditionalOnBean(type = "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory")
        static final class Boot3 {
        }
    }

    /** A Jetty servlet web server factory bean, as Spring Boot 4 or 3.5 names it. */
    static final class OnJettyFactory extends AnyNestedCondition {

        OnJettyFactory() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(type = "org.springframework.boot.jetty.servlet.JettyServletWebServerFactory")
        static final class Boot4 {
        }

        @ConditionalOnBean(type = "org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory")
        static final class Boot3 {
        }
    }

    /** On Kubernetes, or anywhere with {@code readiness.drain.enabled=true}. */
    static final class OnKubernetesOrEnabled extends AnyNestedCondition {

        OnKubernetesOrEnabled() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnCloudPlatform(CloudPlatform.KUBERNETES)
        static final class Kubernetes {
        }

        @ConditionalOnReadinessFlag(value = "readiness.drain.enabled", matchIfMissing = false)
        static final class Enabled {
        }
    }
}
