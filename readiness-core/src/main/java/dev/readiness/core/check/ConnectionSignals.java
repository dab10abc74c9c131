package dev.readiness.core.check;

/**
 * What a {@link ConnectionAware} check tells the registry when its client reports a connection event. Both
 * methods are cheap and thread-safe, never block and never throw: call them from the client's own event threads.
 * <ul>
 *   <li>{@link #lost(String)}: the client lost its connection. If it is not {@link #restored()} within the check's
 *       {@link CheckOptions#connectionGrace() connection grace}, the check turns DOWN at once, without waiting for
 *       its next evaluation and whatever its failure threshold (the loss has lasted the grace, it is not a flaky
 *       evaluation); a reconnect within the grace changes nothing.</li>
 *   <li>{@link #restored()}: the client connected again. The check is evaluated at once (or right after the
 *       evaluation in flight), and the success threshold counts that evaluation as any other.</li>
 * </ul>
 */
public interface ConnectionSignals {

    /** The client lost its connection; {@code reason} says how (shown in the check's message). */
    void lost(String reason);

    /** The client has its connection again. */
    void restored();
}
