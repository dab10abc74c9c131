package dev.readiness.core.check;

import java.time.Duration;
import java.util.Objects;

/**
 * How a check is scheduled and judged. Immutable; built with {@link #builder()} or {@link #defaults()}.
 * <p>
 * Thresholds have Kubernetes' meaning: a check that is UP turns DOWN after {@code failureThreshold}
 * consecutive failures, and a check that is DOWN turns UP after {@code successThreshold} consecutive successes.
 * A check that has not completed yet is UNKNOWN. An evaluation that runs past {@code timeout} is a failure,
 * and a check whose last completed evaluation is older than {@code staleAfter} is DOWN whatever it said.
 * <p>
 * With these options a dependency that hangs turns its readiness DOWN within
 * {@code interval * failureThreshold + timeout}.
 * <p>
 * Until a check succeeds for the first time, a failed evaluation is followed by another after
 * {@code initialRetryDelay}, doubling each time while it stays below the interval: a dependency that is not
 * reachable at the very first evaluation (a client still connecting, a first command slowed by class loading)
 * does not hold readiness DOWN for a whole interval. From the first success on, the interval alone paces
 * evaluations, so thresholds keep their meaning in intervals.
 */
public final class CheckOptions {

    /** Default time between the starts of two evaluations: 5 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default time one evaluation may take: 2 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default delay before the first evaluation: none. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ZERO;
    /**
     * Default delay before re-evaluating a check that has never succeeded: 100 ms, then 200 ms, 400 ms, ... while
     * below the interval.
     */
    public static final Duration DEFAULT_INITIAL_RETRY_DELAY = Duration.ofMillis(100);
    /** Default consecutive failures before UP turns DOWN: 1, so a failing dependency is seen at once. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 1;
    /** Default consecutive successes before DOWN turns UP: 1. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    /**
     * Longest interval, timeout or initial delay: 1 day. Longer makes no sense for a probe, and the engine
     * counts time in nanoseconds, which overflow after 292 years.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(1);
    /** Longest stale-after: 4 days, enough for the default of {@code 3 * interval + timeout} at the longest. */
    public static final Duration MAX_STALE_AFTER = MAX_DURATION.multipliedBy(4);

    private static final CheckOptions DEFAULTS = builder().build();

    private final Duration interval;
    private final Duration timeout;
    private final Duration initialDelay;
    private final Duration initialRetryDelay;
    private final int failureThreshold;
    private final int successThreshold;
    private final Duration staleAfter;
    private final boolean staleAfterSet;
    private final boolean required;

    private CheckOptions(Builder b) {
        this.interval = atMost("interval", positive("interval", b.interval), MAX_DURATION);
        this.timeout = atMost("timeout", positive("timeout", b.timeout), MAX_DURATION);
        this.initialDelay = atMost("initial-delay", notNegative("initial-delay", b.initialDelay), MAX_DURATION);
        this.initialRetryDelay = atMost("initial-retry-delay",
                notNegative("initial-retry-delay", b.initialRetryDelay), MAX_DURATION);
        this.failureThreshold = atLeastOne("failure-threshold", b.failureThreshold);
        this.successThreshold = atLeastOne("success-threshold", b.successThreshold);
        Duration stale = b.staleAfter != null ? atMost("stale-after", positive("stale-after", b.staleAfter), MAX_STALE_AFTER)
                : interval.multipliedBy(3).plus(timeout);
        if (stale.compareTo(interval.plus(timeout)) < 0) {
            throw new IllegalArgumentException("stale-after (" + stale + ") must be at least interval + timeout ("
                    + interval.plus(timeout) + "), or every result would be stale before the next one arrives");
        }
        this.staleAfter = stale;
        this.staleAfterSet = b.staleAfter != null;
        this.required = b.required;
    }

    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.interval = interval;
        b.timeout = timeout;
        b.initialDelay = initialDelay;
        b.initialRetryDelay = initialRetryDelay;
        b.failureThreshold = failureThreshold;
        b.successThreshold = successThreshold;
        // A derived default follows the interval and timeout of the new options instead of being pinned.
        b.staleAfter = staleAfterSet ? staleAfter : null;
        b.required = required;
        return b;
    }

    public Duration interval() {
        return interval;
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * How long after a failed evaluation a check that has never succeeded is evaluated again; the delay doubles
     * after each such retry, and retries stop at the first success or once the delay reaches the interval. Zero:
     * no retries, the interval alone. Default {@link #DEFAULT_INITIAL_RETRY_DELAY} (100 ms).
     */
    public Duration initialRetryDelay() {
        return initialRetryDelay;
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public int successThreshold() {
        return successThreshold;
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    /**
     * Whether a DOWN result takes the probe DOWN. A check that is not required shows as degraded in verbose
     * output and metrics but leaves the probe UP. Liveness checks are always required.
     */
    public boolean required() {
        return required;
    }

    /** The longest time from a dependency hanging to the check being DOWN. */
    public Duration worstCaseDetection() {
        return interval.multipliedBy(failureThreshold).plus(timeout);
    }

    @Override
    public String toString() {
        return "CheckOptions{interval=" + interval + ", timeout=" + timeout + ", initialDelay=" + initialDelay
                + ", initialRetryDelay=" + initialRetryDelay
                + ", failureThreshold=" + failureThreshold + ", successThreshold=" + successThreshold
                + ", staleAfter=" + staleAfter + ", required=" + required + "}";
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
        return value;
    }

    private static Duration atMost(String name, Duration value, Duration max) {
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", was " + value);
        }
        return value;
    }

    private static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + value);
        }
        return value;
    }

    private static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    /** Builds {@link CheckOptions}; values are validated in {@link #build()}. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private Duration initialRetryDelay = DEFAULT_INITIAL_RETRY_DELAY;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
        private Duration staleAfter;
        private boolean required = true;

        private Builder() {
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
            return this;
        }

        /** See {@link CheckOptions#initialRetryDelay()}; zero turns the retries off. */
        public Builder initialRetryDelay(Duration initialRetryDelay) {
            this.initialRetryDelay = initialRetryDelay;
            return this;
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder successThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
            return this;
        }

        /** Defaults to {@code 3 * interval + timeout}. */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        public Builder required(boolean required) {
            this.required = required;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting and the bad value
         */
        public CheckOptions build() {
            return new CheckOptions(this);
        }
    }
}
