package dev.readiness.health.check.resilience4j;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ConnectionAware;
import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.check.DependencyCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Readiness from a Resilience4j {@link CircuitBreaker}, so the application's own breakers can feed readiness.
 * <ul>
 *   <li>{@link #of(CircuitBreaker)} reads the breaker's state: OPEN and FORCED_OPEN are DOWN; CLOSED,
 *       HALF_OPEN (trial calls must get through), DISABLED and METRICS_ONLY are UP. It makes no call. A breaker
 *       only leaves OPEN when a call asks for a permission, and a pod that is not ready gets no calls, so
 *       enable {@code automaticTransitionFromOpenToHalfOpenEnabled}, or register it as not required.</li>
 *   <li>{@link #guarding(CircuitBreaker, DependencyCheck)} calls {@code probe} through the breaker: the result
 *       is recorded on the breaker like any call, and while the breaker is OPEN no call is made at all. The
 *       check then probes the dependency itself, and recovers by itself.</li>
 * </ul>
 * Details: {@code state}, {@code failureRate} (percent, -1 until the breaker has enough calls).
 * <p>
 * Both follow the breaker's state transitions as they happen ({@link ConnectionAware}): a breaker that opens and
 * stays open for the connection grace turns the check DOWN without waiting for the next evaluation, and one that
 * leaves OPEN (to HALF_OPEN or CLOSED) is evaluated at once. A guarded check that is DOWN is evaluated every
 * {@code recovery-interval}: once the breaker's {@code waitDurationInOpenState} has passed, that evaluation is the
 * breaker's half-open trial call, so the breaker closes because the check found the dependency back, not only
 * when traffic happens to try it.
 */
public final class CircuitBreakerCheck implements DependencyCheck, ConnectionAware {

    private final CircuitBreaker breaker;
    private final DependencyCheck probe;

    private CircuitBreakerCheck(CircuitBreaker breaker, DependencyCheck probe) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.probe = probe;
    }

    /** DOWN while {@code breaker} is open; makes no call. */
    public static CircuitBreakerCheck of(CircuitBreaker breaker) {
        return new CircuitBreakerCheck(breaker, null);
    }

    /** Runs {@code probe} through {@code breaker}; DOWN without a call while the breaker is open. */
    public static CircuitBreakerCheck guarding(CircuitBreaker breaker, DependencyCheck probe) {
        return new CircuitBreakerCheck(breaker, Objects.requireNonNull(probe, "probe"));
    }

    @Override
    public CheckResult check(Duration timeout) throws Exception {
        if (probe == null) {
            CircuitBreaker.State state = breaker.getState();
            boolean open = state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
            return details(open ? CheckResult.down("circuit breaker " + breaker.getName() + " is " + state)
                    : CheckResult.up());
        }
        if (!breaker.tryAcquirePermission()) {
            return details(CheckResult.down("circuit breaker " + breaker.getName() + " is " + breaker.getState()
                    + ": not calling"));
        }
        long start = System.nanoTime();
        CheckResult result;
        try {
            result = probe.check(timeout);
        } catch (Exception e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
        long took = System.nanoTime() - start;
        if (result != null && result.isUp()) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(took, TimeUnit.NANOSECONDS, new DependencyDownException(
                    result == null ? "check returned null" : result.message()));
        }
        return result == null ? null : details(result);
    }

    @Override
    public AutoCloseable watch(ConnectionSignals signals) {
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        breaker.getEventPublisher().onStateTransition(event -> {
            if (!watching.get()) {
                return;
            }
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                signals.lost("circuit breaker " + breaker.getName() + " is " + to);
            } else {
                signals.restored();
            }
        });
        // Resilience4j cannot remove a consumer; a closed watch ignores the events.
        return () -> watching.set(false);
    }

    private CheckResult details(CheckResult r) {
        return r.withDetail("state", breaker.getState().name())
                .withDetail("failureRate", breaker.getMetrics().getFailureRate());
    }

    /** What the breaker records when the guarded check answers DOWN without throwing. */
    static final class DependencyDownException extends Exception {
        DependencyDownException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "CircuitBreakerCheck{" + breaker.getName() + "}";
    }
}
