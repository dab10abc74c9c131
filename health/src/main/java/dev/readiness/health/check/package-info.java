/**
 * Dependency checks, one package per integration, each behind an optional dependency: {@code jdbc} (HikariCP),
 * {@code redis} (Lettuce), {@code http} (the JDK's HTTP client) and {@code resilience4j} (circuit breakers).
 * All are {@link dev.readiness.core.check.DependencyCheck}s: readiness and startup accept them, liveness never.
 * Whether a check is required is set where it is registered, with
 * {@link dev.readiness.core.check.CheckOptions.Builder#required(boolean)}.
 */
package dev.readiness.health.check;
