package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.spring.boot.autoconfigure.health.ActuatorViews;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;

/**
 * A Spring Boot 3.5 Actuator {@link HealthIndicator} evaluated in the background by the {@link HealthRegistry} as a
 * readiness {@link DependencyCheck}, with the registry's schedule and timeout. {@link #health()} answers the latest
 * result at once: the health endpoint never calls the wrapped indicator on a request thread, so a database that
 * hangs makes its indicator DOWN (timed out), never a slow endpoint.
 */
public final class BackgroundHealthIndicator implements HealthIndicator {

    private final HealthRegistry registry;
    private final String name;
    private final HealthIndicator delegate;

    BackgroundHealthIndicator(HealthRegistry registry, String name, HealthIndicator delegate) {
        this.registry = registry;
        this.name = name;
        this.delegate = delegate;
    }

    /** The wrapped indicator as a dependency check: Actuator's UP is UP, any other status is DOWN. */
    static DependencyCheck asCheck(HealthIndicator indicator) {
        return (Duration timeout) -> {
            Health health = indicator.getHealth(true);
            return ActuatorViews.checkResult(health.getStatus().getCode(), health.getDetails());
        };
    }

    /** The contributor name this indicator is registered under, and its readiness check name. */
    public String name() {
        return name;
    }

    /** The indicator evaluated in the background. */
    public HealthIndicator delegate() {
        return delegate;
    }

    @Override
    public Health health() {
        CheckSnapshot c = ActuatorViews.readinessCheck(registry, name);
        if (c == null) {
            return Health.unknown().withDetail("message", "not registered").build();
        }
        Health.Builder b = c.status() == Status.UP ? Health.up()
                : c.status() == Status.DOWN ? Health.down() : Health.unknown();
        return b.withDetails(ActuatorViews.checkDetails(c)).build();
    }

    @Override
    public String toString() {
        return "BackgroundHealthIndicator{" + name + " -> " + delegate + "}";
    }
}
