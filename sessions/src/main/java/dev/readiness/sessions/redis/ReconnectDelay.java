package dev.readiness.sessions.redis;

import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before Lettuce's next reconnect attempt: exponential from 10 ms, capped at {@code max}, with equal
 * jitter applied under the cap (half the capped step, plus a random share of the other half). Lettuce's own
 * {@code Delay.equalJitter} draws the random value first and caps it afterwards, so from its fifth attempt on nearly
 * every wait is exactly the cap, and replicas that lost the same Redis retry in step. Here a long outage keeps its
 * attempts between {@code max / 2} and {@code max} apart, spread across replicas.
 */
final class ReconnectDelay extends Delay {

    static final Duration FIRST = Duration.ofMillis(10);

    private final long maxNanos;

    ReconnectDelay(Duration max) {
        if (max.compareTo(FIRST) < 0) {
            throw new IllegalArgumentException("max must be at least " + FIRST + ", was " + max);
        }
        this.maxNanos = max.toNanos();
    }

    @Override
    public Duration createDelay(long attempt) {
        long step = FIRST.toNanos();
        for (long i = 1; i < attempt && step < maxNanos; i++) {
            step *= 2;
        }
        step = Math.min(step, maxNanos);
        long half = step / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(step - half + 1));
    }
}
