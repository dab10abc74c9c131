package dev.readiness.spring.boot.autoconfigure.liveness;

import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.CheckContributor;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.List;

/**
 * The liveness checks readiness-core ships, registered for the application: {@value DeadlockCheck#NAME}
 * ({@link DeadlockCheck}), DOWN while threads of the JVM are deadlocked, which never ends by itself and which a
 * restart cures. Off with {@code readiness.liveness.deadlock.enabled=false}; not registered when the application
 * registers a liveness check of that name itself (a {@link CheckRegistration} bean).
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
        return () -> beans.getBeansOfType(CheckRegistration.class, false, false).values().stream()
                .anyMatch(r -> r.probe() == Probe.LIVENESS && r.name().equals(DeadlockCheck.NAME))
                ? List.of() : List.of(CheckRegistration.liveness(DeadlockCheck.NAME, new DeadlockCheck()));
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
