package dev.readiness.health.check.resilience4j;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure logic over a real Resilience4j breaker. */
class CircuitBreakerCheckTest {

    private final CircuitBreaker breaker = CircuitBreaker.of("billing", CircuitBreakerConfig.custom()
            .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofHours(1)).build());

    @Test
    void readsTheApplicationsBreakerState() throws Exception {
        CircuitBreakerCheck check = CircuitBreakerCheck.of(breaker);
        assertThat(check.check(Duration.ofSeconds(1)).isUp()).isTrue();
        assertThat(check.check(Duration.ofSeconds(1)).details()).containsEntry("state", "CLOSED");
        breaker.transitionToOpenState();
        CheckResult open = check.check(Duration.ofSeconds(1));
        assertThat(open.isUp()).isFalse();
        assertThat(open.message()).isEqualTo("circuit breaker billing is OPEN");
        breaker.transitionToHalfOpenState();
        assertThat(check.check(Duration.ofSeconds(1)).isUp()).as("trial calls must get through").isTrue();
        breaker.transitionToForcedOpenState();
        assertThat(check.check(Duration.ofSeconds(1)).isUp()).isFalse();
    }

    @Test
    void aGuardedCheckFeedsTheBreakerAndMakesNoCallWhileItIsOpen() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        DependencyCheck failing = t -> {
            calls.incrementAndGet();
            return CheckResult.down("503");
        };
        CircuitBreakerCheck check = CircuitBreakerCheck.guarding(breaker, failing);
        check.check(Duration.ofSeconds(1));
        check.check(Duration.ofSeconds(1));
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        CheckResult r = check.check(Duration.ofSeconds(1));
        assertThat(r.message()).isEqualTo("circuit breaker billing is OPEN: not calling");
        assertThat(calls).hasValue(2);
        assertThat(r.details()).containsEntry("state", "OPEN").containsEntry("failureRate", 100.0f);
    }

    @Test
    void aThrowingGuardedCheckIsRecordedAsAnError() {
        CircuitBreakerCheck check = CircuitBreakerCheck.guarding(breaker, t -> {
            throw new java.net.ConnectException("refused");
        });
        assertThatThrownBy(() -> check.check(Duration.ofSeconds(1))).isInstanceOf(java.net.ConnectException.class);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }

    @Test
    void successesAreRecorded() throws Exception {
        CircuitBreakerCheck.guarding(breaker, t -> CheckResult.up()).check(Duration.ofSeconds(1));
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }
}
