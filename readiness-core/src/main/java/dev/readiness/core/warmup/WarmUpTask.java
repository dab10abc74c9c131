package dev.readiness.core.warmup;

/**
 * One piece of warm-up work the application does before readiness turns UP: calls to its own endpoints, a pool
 * pre-fill, a class-loading pass. It may be interrupted when the warm-up timeout passes.
 */
@FunctionalInterface
public interface WarmUpTask {

    /** Does the work; a failure is logged and counted, and never stops the service from starting. */
    void run() throws Exception;
}
