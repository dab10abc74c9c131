package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import dev.readiness.spring.boot.autoconfigure.health.ActuatorViews;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * One of readiness' probes as a Spring Boot 3.5 Actuator {@link HealthIndicator}: reads the probe's latest
 * {@link ProbeReport}, which the registry computed in the background. Never runs a check, so a hung dependency can
 * never make the probe slow. Replaces Actuator's {@code livenessState} and {@code readinessState} indicators, and
 * adds {@code startupState}.
 */
public final class ProbeHealthIndicator implements HealthIndicator {

    /** Contributor name of readiness' liveness probe, Actuator's name for its liveness indicator. */
    public static final String LIVENESS_STATE = "livenessState";
    /** Contributor name of readiness' readiness probe, Actuator's name for its readiness indicator. */
    public static final String READINESS_STATE = "readinessState";
    /** Contributor name of readiness' startup probe. */
    public static final String STARTUP_STATE = "startupState";

    private final HealthRegistry registry;
    private final Probe probe;

    public ProbeHealthIndicator(HealthRegistry registry, Probe probe) {
        this.registry = registry;
        this.probe = probe;
    }

    @Override
    public Health health() {
        ProbeReport report = registry.report(probe);
        return new Health.Builder(report.isUp() ? Status.UP : Status.DOWN)
                .withDetails(ActuatorViews.probeDetails(report)).build();
    }

    @Override
    public String toString() {
        return "ProbeHealthIndicator{" + probe.tag() + "}";
    }
}
