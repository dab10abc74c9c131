package dev.readiness.spring.boot.autoconfigure.actuate;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Actuator {@link HealthIndicator} evaluated in the background by the {@link HealthRegistry} as a readiness
 * {@link DependencyCheck}, with the registry's schedule and timeout. {@link #health()} answers the latest
 * result at once: the health endpoint never calls the wrapped indicator on a request thread, so a database
 * that hangs makes its indicator DOWN (timed out), never a slow endpoint.
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
            Health health = indicator.health(true);
            String code = health.getStatus().getCode();
            Map<String, Object> details = new LinkedHashMap<>();
            health.getDetails().forEach((k, v) -> {
                if (v instanceof Number || v instanceof Boolean || v instanceof CharSequence) {
                    details.put(k, v);
                } else if (v != null) {
                    details.put(k, v.toString());
                }
            });
            CheckResult result = "UP".equals(code) ? CheckResult.up()
                    : CheckResult.down("status " + code + describe(health));
            for (Map.Entry<String, Object> e : details.entrySet()) {
                result = result.withDetail(e.getKey(), e.getValue());
            }
            return result;
        };
    }

    private static String describe(Health health) {
        Object error = health.getDetails().get("error");
        return error == null ? "" : ": " + error;
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
        for (CheckSnapshot c : registry.checks()) {
            if (c.probe() == Probe.READINESS && c.name().equals(name)) {
                return toHealth(c);
            }
        }
        return Health.unknown().withDetail("message", "not registered").build();
    }

    private static Health toHealth(CheckSnapshot c) {
        Health.Builder b = c.status() == Status.UP ? Health.up()
                : c.status() == Status.DOWN ? Health.down() : Health.unknown();
        b.withDetails(c.details());
        if (!c.message().isEmpty()) {
            b.withDetail("message", c.message());
        }
        if (c.timedOut()) {
            b.withDetail("timedOut", true);
        }
        if (c.lastCompleted() != null) {
            b.withDetail("lastCompleted", c.lastCompleted().toString());
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "BackgroundHealthIndicator{" + name + " -> " + delegate + "}";
    }
}
