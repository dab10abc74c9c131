package dev.readiness.spring.boot.autoconfigure.liveness;

import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.health.tomcat.TomcatListenerCheck;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.List;
import java.util.function.Supplier;

/**
 * The liveness checks readiness-core ships, registered for the application: {@value DeadlockCheck#NAME}
 * ({@link DeadlockCheck}), DOWN while threads of the JVM are deadlocked, which never ends by itself and which a
 * restart cures; and {@value TomcatListenerCheck#NAME}, DOWN when the application's own Tomcat or Jetty listener
 * died while no drain asked for it (read from the server's state, never over the network). Off with
 * {@code readiness.liveness.deadlock.enabled=false} and {@code readiness.liveness.http-listener.enabled=false}; not
 * registered when the application registers a liveness check of that name itself (a {@link CheckRegistration}
 * bean).
 */
@AutoConfiguration(after = ReadinessAutoConfiguration.class)
@ConditionalOnBean(HealthRegistry.class)
public final class ReadinessLivenessAutoConfiguration {

    ReadinessLivenessAutoConfiguration() {
    }

    /** Registered for liveness under {@value DeadlockCheck#NAME}, with the registry's defaults for local checks. */
    @Bean
    @Conditional(DeadlockEnabled.class)
    @ConditionalOnMissingBean(name = "readinessDeadlockRegistration")
    CheckContributor readinessDeadlockRegistration(ListableBeanFactory beans) {
        return () -> unlessRegistered(beans, DeadlockCheck.NAME, DeadlockCheck::new);
    }

    private static List<CheckRegistration> unlessRegistered(ListableBeanFactory beans, String name,
                                                            Supplier<LocalCheck> check) {
        return beans.getBeansOfType(CheckRegistration.class, false, false).values().stream()
                .anyMatch(r -> r.probe() == Probe.LIVENESS && r.name().equals(name))
                ? List.of() : List.of(CheckRegistration.liveness(name, check.get()));
    }

    /**
     * The HTTP listener check, in a web application (its server is read when the check runs); not registered when
     * the application registers a liveness check of that name itself, nor in an application without Boot's web
     * server module (a worker).
     */
    @Bean
    @Conditional(HttpListenerEnabled.class)
    @ConditionalOnClass(name = {"dev.readiness.health.tomcat.TomcatListenerCheck",
            "org.springframework.boot.web.server.WebServer"})
    @ConditionalOnMissingBean(name = "readinessHttpListenerRegistration")
    CheckContributor readinessHttpListenerRegistration(ListableBeanFactory beans, ApplicationContext context,
                                                       ObjectProvider<GracefulDrain> drain) {
        if (!BootGeneration.current().webServerContext(context)) {
            return List::of;
        }
        HttpListenerChecks check = new HttpListenerChecks(context, drain);
        if (context instanceof org.springframework.context.ConfigurableApplicationContext c) {
            c.addApplicationListener(check);
        }
        return () -> unlessRegistered(beans, TomcatListenerCheck.NAME, () -> check);
    }

    /** {@code readiness.liveness.http-listener.enabled}, read as every flag is. */
    static final class HttpListenerEnabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return LivenessSettings.from(ReadinessSettings.of(context.getEnvironment())).httpListenerEnabled();
        }
    }

    /**
     * {@code readiness.liveness.deadlock.enabled}, read with the one boolean syntax of every key; its default is
     * {@link LivenessSettings}'s, and a value it refuses fails the start naming the key.
     */
    static final class DeadlockEnabled implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return LivenessSettings.from(ReadinessSettings.of(context.getEnvironment())).deadlockEnabled();
        }
    }
}
