package dev.readiness.core.check;

/**
 * A {@link DependencyCheck} whose client reports connection events (Lettuce's connection state, a circuit
 * breaker's transitions), so the check follows the connection instead of waiting for its next evaluation. The
 * registry calls {@link #watch(ConnectionSignals)} once when the check is registered and closes what it returns
 * when the registry closes. Evaluations and thresholds work as for any check; see {@link ConnectionSignals} for
 * how events and thresholds combine.
 */
public interface ConnectionAware {

    /**
     * Starts passing the client's connection events to {@code signals}.
     *
     * @return stops passing them; called once, when the registry closes
     */
    AutoCloseable watch(ConnectionSignals signals);
}
