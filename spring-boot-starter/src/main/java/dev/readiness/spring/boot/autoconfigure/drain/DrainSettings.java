package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;

import java.time.Duration;

/**
 * {@code readiness.drain.*} validated and immutable.
 *
 * @param propagationDelay       time to keep serving after readiness turned DOWN; 0 or more
 * @param timeout                time in-flight work may take to finish; positive
 * @param terminationGracePeriod the pod's termination grace period; positive
 */
public record DrainSettings(Duration propagationDelay, Duration timeout, Duration terminationGracePeriod) {

    private static final String P = "readiness.drain.";

    /**
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    public DrainSettings {
        ReadinessConfigException.require(propagationDelay != null && !propagationDelay.isNegative(),
                P + "propagation-delay", propagationDelay, "must be a duration of 0 or more, such as 5s");
        ReadinessConfigException.require(timeout != null && !timeout.isNegative() && !timeout.isZero(),
                P + "timeout", timeout, "must be a positive duration, such as 20s");
        ReadinessConfigException.require(terminationGracePeriod != null && !terminationGracePeriod.isNegative()
                        && !terminationGracePeriod.isZero(), P + "termination-grace-period", terminationGracePeriod,
                "must be a positive duration, such as 30s (the pod's terminationGracePeriodSeconds)");
    }

    /**
     * @throws ReadinessConfigException on a bad value
     */
    public static DrainSettings from(ReadinessProperties.Drain drain) {
        return new DrainSettings(drain.getPropagationDelay(), drain.getTimeout(), drain.getTerminationGracePeriod());
    }

    /** The time the drain needs at most: propagation delay plus drain timeout. */
    public Duration budget() {
        return propagationDelay.plus(timeout);
    }

    /** Whether the drain fits the termination grace period, so Kubernetes' SIGKILL never cuts it short. */
    public boolean fitsGracePeriod() {
        return budget().compareTo(terminationGracePeriod) <= 0;
    }
}
