package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.warmup.WarmUpMetrics;
import dev.readiness.core.warmup.WarmUpSettings;
import dev.readiness.health.agent.AgentMetrics;
import dev.readiness.health.agent.AgentServer;
import dev.readiness.health.agent.AgentSettings;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationMetrics;
import dev.readiness.health.saturation.SaturationSettings;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.spring.boot.autoconfigure.grpc.ReadinessGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.util.EnumSet;

/**
 * Signals for autoscalers and load balancers. The gauge {@code readiness.saturation} (Prometheus
 * {@code readiness_saturation}) from Tomcat's or Jetty's worker pool, or from the requests (for a service whose only
 * server is Spring gRPC's, the calls) in flight over {@code readiness.saturation.concurrency-target}; without either,
 * no gauge and one WARN naming the key. The
 * HAProxy agent-check endpoint with {@code readiness.agent.enabled=true} on {@code readiness.agent.port} (8082),
 * its weight following saturation and the slow start. The warm-up ({@link dev.readiness.core.warmup.WarmUpTask}
 * beans and {@code readiness.warmup.paths}) before readiness turns UP. Readiness itself never follows load.
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class,
        afterName = "dev.readiness.spring.boot.autoconfigure.drain.ReadinessDrainAutoConfiguration")
@ConditionalOnBean(HealthRegistry.class)
@ConditionalOnClass({Saturation.class, AgentServer.class})
public final class ReadinessScalingAutoConfiguration {

    ReadinessScalingAutoConfiguration() {
    }

    /** @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.saturation.*} value */
    @Bean
    @ConditionalOnMissingBean
    SaturationSettings readinessSaturationSettings(ReadinessSettings settings) {
        return SaturationSettings.from(settings);
    }

    /** @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.agent.*} value */
    @Bean
    @ConditionalOnMissingBean
    AgentSettings readinessAgentSettings(ReadinessSettings settings) {
        return AgentSettings.from(settings);
    }

    /** @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.warmup.*} value */
    @Bean
    @ConditionalOnMissingBean
    WarmUpSettings readinessWarmUpSettings(ReadinessSettings settings) {
        return WarmUpSettings.from(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    ServerSaturation readinessServerSaturation(SaturationSettings settings, ObjectProvider<GracefulDrain> drain) {
        GracefulDrain d = drain.getIfAvailable();
        return new ServerSaturation(settings, d != null ? d.tracker() : new InFlightTracker());
    }

    @Bean
    @ConditionalOnMissingBean
    WarmUpRunner readinessWarmUpRunner(WarmUpSettings settings, ApplicationContext context, ServerSaturation server) {
        return new WarmUpRunner(settings, context, server);
    }

    /**
     * The HAProxy agent, off by default.
     *
     * @throws java.io.UncheckedIOException when its port cannot be bound
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnReadinessFlag(value = "readiness.agent.enabled", matchIfMissing = false)
    AgentServer readinessAgentServer(HealthRegistry registry, AgentSettings settings, ServerSaturation saturation) {
        return AgentServer.builder(registry).settings(settings).saturation(saturation).start();
    }

    /** Finds the pool of the application's web server once it runs (not in an application without one). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.web.server.WebServer")
    static final class WebServers {

        @Bean
        @ConditionalOnMissingBean
        WebServerSaturation readinessWebServerSaturation(ServerSaturation saturation) {
            return new WebServerSaturation(saturation);
        }
    }

    /**
     * A Spring gRPC server's calls in flight, for an application whose only server is gRPC (a web server, started
     * first, wins). Not loaded without Spring gRPC and readiness-grpc.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent",
            "dev.readiness.grpc.GrpcSaturation"})
    static final class GrpcServers {

        @Bean
        @ConditionalOnMissingBean
        GrpcServerSaturation readinessGrpcServerSaturation(ServerSaturation saturation,
                                                           ObjectProvider<ReadinessGrpc> grpc) {
            return new GrpcServerSaturation(saturation, grpc);
        }
    }

    /**
     * Counts servlet requests for the concurrency target when no drain does (the drain's own filter or handler
     * counts them otherwise); not registered unless the target is set.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({FilterRegistrationBean.class, InFlightFilter.class, DispatcherType.class})
    static final class InFlight {

        @Bean
        @ConditionalOnMissingBean(name = "readinessSaturationInFlightFilter")
        FilterRegistrationBean<InFlightFilter> readinessSaturationInFlightFilter(SaturationSettings settings,
                ObjectProvider<GracefulDrain> drain, ServerSaturation saturation) {
            FilterRegistrationBean<InFlightFilter> registration =
                    new FilterRegistrationBean<>(new InFlightFilter(saturation.tracker()));
            registration.setName("readinessSaturationInFlightFilter");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            registration.setAsyncSupported(true);
            registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
            registration.addUrlPatterns("/*");
            registration.setEnabled(settings.concurrencyTarget().isPresent() && drain.getIfAvailable() == null);
            return registration;
        }
    }

    /**
     * Counts WebFlux exchanges for the concurrency target when no drain does (the drain's own web filter counts them
     * otherwise); only when the target is set.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono"})
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnMissingBean(GracefulDrain.class)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("readiness.saturation.concurrency-target")
    static final class ReactiveInFlight {

        @Bean
        @ConditionalOnMissingBean(name = "readinessSaturationInFlightWebFilter")
        dev.readiness.spring.boot.autoconfigure.reactive.InFlightWebFilter readinessSaturationInFlightWebFilter(
                ServerSaturation saturation) {
            return new dev.readiness.spring.boot.autoconfigure.reactive.InFlightWebFilter(saturation.tracker());
        }
    }

    /** {@code readiness.saturation}, {@code readiness.agent.*} and {@code readiness.warmup.*} meters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean(name = "readinessScalingMetrics")
        MeterBinder readinessScalingMetrics(ServerSaturation saturation, ObjectProvider<AgentServer> agent,
                                            WarmUpRunner warmUp) {
            return registry -> {
                saturation.whenFound(s -> bind(registry, s));
                agent.ifAvailable(a -> new AgentMetrics(a).bindTo(registry));
                new WarmUpMetrics(() -> warmUp.warmUp().lastReport()).bindTo(registry);
            };
        }

        private static void bind(MeterRegistry registry, Saturation s) {
            new SaturationMetrics(s).bindTo(registry);
        }
    }
}
