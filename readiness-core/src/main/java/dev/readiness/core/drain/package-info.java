/**
 * Graceful drain on SIGTERM: readiness DOWN, keep serving for the propagation delay, stop accepting, wait for
 * in-flight requests, close resources in reverse order, exit. {@link dev.readiness.core.drain.GracefulDrain} runs
 * it; server adapters implement {@link dev.readiness.core.drain.DrainableServer} and feed an
 * {@link dev.readiness.core.drain.InFlightTracker}.
 */
package dev.readiness.core.drain;
