package dev.readiness.spring.boot.autoconfigure;

import java.util.List;

/**
 * Contributes a number of checks known only once the context's beans exist (one per DataSource, per Redis
 * connection factory, per circuit breaker). Every {@code CheckContributor} bean's checks are registered with the
 * {@link dev.readiness.core.probe.HealthRegistry} before it starts, after the {@link CheckRegistration} beans.
 * <p>
 * {@link #checks()} may be called more than once (the Actuator integration asks which names are covered, so
 * that Boot's own {@code db} or {@code redis} indicator is not evaluated a second time); it must return the same
 * registrations each time.
 */
@FunctionalInterface
public interface CheckContributor {

    /** The checks to register; the same ones at every call. */
    List<CheckRegistration> checks();
}
