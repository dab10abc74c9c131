package dev.readiness.core.drain;

import java.time.Duration;

/** Told when a drain moves to another phase, on the draining thread. */
@FunctionalInterface
public interface DrainListener {

    /**
     * @param previous    the phase that ended
     * @param next        the phase that begins
     * @param previousTook how long {@code previous} lasted ({@link Duration#ZERO} when it was {@link DrainPhase#SERVING})
     */
    void onPhase(DrainPhase previous, DrainPhase next, Duration previousTook);
}
