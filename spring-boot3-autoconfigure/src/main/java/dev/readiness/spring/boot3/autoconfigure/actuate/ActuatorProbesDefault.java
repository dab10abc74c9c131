package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Turns Actuator's probe groups ({@code /actuator/health/liveness}, {@code /readiness}) on by default, as Spring Boot
 * 4 does: Spring Boot 3.5 turns them on only on Kubernetes, so a service tried on a laptop or a VM would have no
 * liveness group to keep free of dependencies. The lowest-precedence default: any value the application sets for
 * {@value #PROBES_ENABLED} wins, and nothing is added when {@code readiness.enabled} or
 * {@code readiness.actuator.enabled} is false.
 */
public final class ActuatorProbesDefault implements EnvironmentPostProcessor, Ordered {

    static final String PROBES_ENABLED = "management.endpoint.health.probes.enabled";
    static final String SOURCE_NAME = "readinessActuatorDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ReadinessSettings settings = ReadinessSettings.of(environment);
        if (!on(settings, "readiness.enabled") || !on(settings, "readiness.actuator.enabled")
                || environment.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(PROBES_ENABLED, "true")));
    }

    /**
     * Whether the flag is on: unset or blank is on; a value that is not a boolean adds nothing here, and the start
     * fails on it with the key named, where the auto-configuration reads it.
     */
    private static boolean on(ReadinessSettings settings, String name) {
        try {
            return settings.flag(name, true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
