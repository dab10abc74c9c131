package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.probe.HealthRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * The first step of the drain, run before anything else stops: readiness DOWN at once, then the application
 * keeps serving for the propagation delay while Kubernetes removes the pod from its Service endpoints. Only
 * then does the web server's graceful shutdown (a later lifecycle phase) stop accepting and wait for in-flight
 * requests.
 */
final class PropagationDelayLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PropagationDelayLifecycle.class);

    private final HealthRegistry registry;
    private final Duration propagationDelay;
    private volatile boolean running;

    PropagationDelayLifecycle(HealthRegistry registry, Duration propagationDelay) {
        this.registry = registry;
        this.propagationDelay = propagationDelay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        registry.beginDrain();
        if (propagationDelay.isZero()) {
            return;
        }
        log.info("readiness DOWN; serving for {} ms more while endpoints are updated", propagationDelay.toMillis());
        try {
            Thread.sleep(propagationDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before the web server's graceful shutdown and before the web server itself. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
