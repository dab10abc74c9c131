package dev.readiness.spring.boot.autoconfigure.grpc;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.grpc.GrpcDrain;
import dev.readiness.grpc.GrpcMetrics;
import dev.readiness.grpc.GrpcServers;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.grpc.RegistryHealthService;
import dev.readiness.spring.boot.autoconfigure.ConditionalOnReadinessFlag;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.spring.boot.autoconfigure.drain.ReadinessDrainAutoConfiguration;
import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.ServerBuilderCustomizer;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * readiness for Spring gRPC servers ({@code org.springframework.grpc}: on Spring Boot 4, Spring gRPC 1.x with Boot's
 * gRPC server auto-configuration; on Spring Boot 3.5, Spring gRPC 0.x with its own): every server the context
 * starts answers {@code grpc.health.v1.Health} from the registry (in place of the health service Spring Boot binds,
 * whose status follows Actuator on a schedule), so the kubelet's native {@code grpc:} probes serve all three probes; with the drain on, SIGTERM turns health
 * {@code NOT_SERVING} at once, calls are served for the propagation delay, then a graceful GOAWAY and the wait for
 * running calls and streams (the drain runs before Spring gRPC's own server lifecycle stops the server); and
 * {@code readiness.grpc.max-connection-age} / {@code -grace} on Netty servers, so clients behind an L4 Service
 * spread over new pods.
 * <p>
 * On when Spring gRPC and readiness-grpc are on the class path and the application has a {@code BindableService}
 * (what makes Spring gRPC start a server); {@code readiness.grpc.enabled=false} turns it off.
 */
@AutoConfiguration(after = {ReadinessAutoConfiguration.class, ReadinessDrainAutoConfiguration.class},
        beforeName = {"org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
                "org.springframework.grpc.autoconfigure.server.GrpcServerAutoConfiguration"})
@ConditionalOnClass({ServerBuilderCustomizer.class, GrpcServerLifecycle.class, RegistryHealthService.class,
        HealthGrpc.class})
// Spring gRPC starts a server only for an application with a BindableService bean; nothing to wire without one
@ConditionalOnBean({HealthRegistry.class, BindableService.class})
@ConditionalOnReadinessFlag("readiness.grpc.enabled")
public final class ReadinessGrpcAutoConfiguration {

    /** The drain's lifecycle bean, which must stop before Spring gRPC's server lifecycles. */
    static final String DRAIN_LIFECYCLE = "readinessDrainLifecycle";

    ReadinessGrpcAutoConfiguration() {
    }

    /** @throws ReadinessConfigException on a bad {@code readiness.grpc.*} value, naming the key */
    @Bean
    @ConditionalOnMissingBean
    GrpcSettings readinessGrpcSettings(ReadinessSettings settings) {
        return GrpcSettings.from(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    ReadinessGrpc readinessGrpc(HealthRegistry registry, GrpcSettings settings, ObjectProvider<GracefulDrain> drain) {
        return new ReadinessGrpc(registry, settings, drain.getIfAvailable());
    }

    /**
     * On every server builder, after Spring gRPC added the application's services: the registry's health service
     * (it replaces the one of the same name Spring Boot added), the counting interceptor and transport filter, and
     * the drain's interceptor.
     */
    @Bean
    @ConditionalOnMissingBean(name = "readinessGrpcServerCustomizer")
    ServerBuilderCustomizer<?> readinessGrpcServerCustomizer(ReadinessGrpc grpc) {
        return new HealthAndDrainCustomizer<>(grpc);
    }

    /** Adds each started server to the drain, which stops accepting with a graceful GOAWAY and waits for its calls. */
    @Bean
    @ConditionalOnBean(GracefulDrain.class)
    ApplicationListener<GrpcServerStartedEvent> readinessGrpcDrainInstaller(ReadinessGrpc grpc) {
        return event -> GrpcDrain.install(event.getServer(), grpc.drainInterceptor(), grpc.health(), grpc.drain());
    }

    /**
     * Makes the drain's lifecycle depend on every Spring gRPC server lifecycle: Spring stops a bean's dependents
     * first, and both run in the last phase, so without it the server could be shut down before the drain's
     * propagation delay.
     */
    @Bean
    static BeanFactoryPostProcessor readinessGrpcDrainOrder() {
        return beanFactory -> {
            if (!beanFactory.containsBeanDefinition(DRAIN_LIFECYCLE)) {
                return;
            }
            String[] servers = beanFactory.getBeanNamesForType(GrpcServerLifecycle.class, true, false);
            if (servers.length == 0) {
                return;
            }
            BeanDefinition drain = beanFactory.getBeanDefinition(DRAIN_LIFECYCLE);
            List<String> dependsOn = new ArrayList<>(drain.getDependsOn() == null ? List.of()
                    : Arrays.asList(drain.getDependsOn()));
            for (String s : servers) {
                if (!dependsOn.contains(s)) {
                    dependsOn.add(s);
                }
            }
            drain.setDependsOn(dependsOn.toArray(String[]::new));
        };
    }

    /** Connection age and its grace on grpc-java's (shaded) Netty servers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(NettyServerBuilder.class)
    static final class ConnectionAge {

        @Bean
        @ConditionalOnMissingBean(name = "readinessGrpcConnectionAgeCustomizer")
        ServerBuilderCustomizer<NettyServerBuilder> readinessGrpcConnectionAgeCustomizer(ReadinessGrpc grpc) {
            return builder -> GrpcServers.configure(builder, grpc.settings());
        }
    }

    /** {@code readiness.grpc.*} meters: calls in flight, open streams and connections, GOAWAYs, health changes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterBinder.class, GrpcMetrics.class})
    static final class Metrics {

        @Bean
        @ConditionalOnMissingBean
        GrpcMetrics readinessGrpcMetrics(ReadinessGrpc grpc) {
            return new GrpcMetrics(grpc.stats());
        }
    }

    /** For every kind of server builder (Netty, shaded Netty, in-process, servlet). */
    static final class HealthAndDrainCustomizer<T extends ServerBuilder<T>> implements ServerBuilderCustomizer<T> {

        private final ReadinessGrpc grpc;

        HealthAndDrainCustomizer(ReadinessGrpc grpc) {
            this.grpc = grpc;
        }

        @Override
        public void customize(T builder) {
            builder.addService(grpc.health());
            builder.intercept(grpc.stats().interceptor());
            builder.addTransportFilter(grpc.stats().transportFilter());
            if (grpc.drainInterceptor() != null) {
                builder.intercept(grpc.drainInterceptor());
            }
        }
    }
}
