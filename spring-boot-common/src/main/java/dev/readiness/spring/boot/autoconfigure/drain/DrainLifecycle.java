package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.GracefulDrain;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link GracefulDrain} as the first lifecycle to stop when the context closes: after readiness turned
 * DOWN (on {@code ContextClosedEvent}) and before Spring Boot's graceful shutdown, the web server's stop and the
 * destruction of pools and clients. So the application keeps serving for the propagation delay, then stops
 * accepting, answers {@code Connection: close}, and waits for in-flight requests; Boot's graceful shutdown then
 * finds nothing left to wait for.
 */
final class DrainLifecycle implements SmartLifecycle {

    private final GracefulDrain drain;
    private volatile boolean running;

    DrainLifecycle(GracefulDrain drain) {
        this.drain = drain;
    }

    @Override
    public void start() {
        running = true;
        SignalExit.arm(drain.settings().exitCode(), drain.settings().worstCase());
    }

    @Override
    public void stop() {
        running = false;
        drain.drain();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first; Boot's graceful shutdown and web server lifecycles have lower phases. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
