package dev.readiness.core.check;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;

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
 * <p>
 * Recovery follows the dependency too: while a check that has succeeded before is DOWN, it is evaluated again
 * every {@code recoveryInterval} (with jitter, default 1 s) until one evaluation passes, so a dependency that
 * returns is seen within about a second, not at the next interval; from that success on the interval paces
 * again, so a success threshold above 1 still counts intervals. A check whose client reports connection events
 * ({@link ConnectionAware}) turns DOWN once a lost connection has not come back within {@code connectionGrace},
 * and is evaluated at once when it comes back.
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
    /**
     * Default time between evaluations of a check that is DOWN, until one passes: 1 s, so a dependency that
     * returns is seen within about a second.
     */
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);
    /**
     * Default time a {@link ConnectionAware} check's client has to restore a lost connection before the check
     * turns DOWN: 1 s, long enough for a reconnect to a server that only dropped the connection, short against
     * the default interval.
     */
    public static final Duration DEFAULT_CONNECTION_GRACE = Duration.ofSeconds(1);
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

    private static final String P = "readiness.checks.";

    /** {@code readiness.checks.interval}. */
    public static final Key<Duration> INTERVAL = Key.duration(P + "interval").defaultsTo(DEFAULT_INTERVAL)
            .positiveUpTo(MAX_DURATION).means("Time between the starts of two evaluations of a dependency check.");
    /** {@code readiness.checks.timeout}. */
    public static final Key<Duration> TIMEOUT = Key.duration(P + "timeout").defaultsTo(DEFAULT_TIMEOUT)
            .positiveUpTo(MAX_DURATION).means("Time one evaluation may take before it counts as failed.");
    /** {@code readiness.checks.initial-delay}. */
    public static final Key<Duration> INITIAL_DELAY = Key.duration(P + "initial-delay")
            .defaultsTo(DEFAULT_INITIAL_DELAY).between(Duration.ZERO, MAX_DURATION)
            .means("Time from registration to the first evaluation.");
    /** {@code readiness.checks.initial-retry-delay}. */
    public static final Key<Duration> INITIAL_RETRY_DELAY = Key.duration(P + "initial-retry-delay")
            .defaultsTo(DEFAULT_INITIAL_RETRY_DELAY)
            .allowed("must be 0 (off) or a positive duration of at most " + Syntax.formatDuration(MAX_DURATION),
                    d -> !d.isNegative() && d.compareTo(MAX_DURATION) <= 0)
            .means("Delay before re-evaluating a check that has never succeeded, doubling while below the"
                    + " interval; 0s turns these start-up retries off.");
    /** {@code readiness.checks.recovery-interval}. */
    public static final Key<Duration> RECOVERY_INTERVAL = Key.duration(P + "recovery-interval")
            .defaultsTo(DEFAULT_RECOVERY_INTERVAL)
            .allowed("must be 0 (off) or a positive duration of at most " + Syntax.formatDuration(MAX_DURATION),
                    d -> !d.isNegative() && d.compareTo(MAX_DURATION) <= 0)
            .means("Time between evaluations of a check that is DOWN, until one passes (with jitter); 0s leaves"
                    + " recovery to the interval.");
    /** {@code readiness.checks.connection-grace}. */
    public static final Key<Duration> CONNECTION_GRACE = Key.duration(P + "connection-grace")
            .defaultsTo(DEFAULT_CONNECTION_GRACE).between(Duration.ZERO, Duration.ofMinutes(10))
            .means("How long a check's client may take to restore a lost connection before the check turns DOWN"
                    + " without waiting for its next evaluation (checks whose client reports connection events).");
    /** {@code readiness.checks.failure-threshold}. */
    public static final Key<Integer> FAILURE_THRESHOLD = Key.integer(P + "failure-threshold")
            .defaultsTo(DEFAULT_FAILURE_THRESHOLD).allowed("must be at least 1", v -> v >= 1)
            .means("Consecutive failures before a check that is UP turns DOWN.");
    /** {@code readiness.checks.success-threshold}. */
    public static final Key<Integer> SUCCESS_THRESHOLD = Key.integer(P + "success-threshold")
            .defaultsTo(DEFAULT_SUCCESS_THRESHOLD).allowed("must be at least 1", v -> v >= 1)
            .means("Consecutive successes before a check that is DOWN turns UP.");
    /** {@code readiness.checks.stale-after}. */
    public static final Key<Duration> STALE_AFTER = Key.duration(P + "stale-after")
            .unsetMeans("3 x interval + timeout")
            .allowed("must be at least interval + timeout and at most " + Syntax.formatDuration(MAX_STALE_AFTER),
                    d -> !d.isNegative() && !d.isZero() && d.compareTo(MAX_STALE_AFTER) <= 0)
            .means("Age after which a check's last result counts as DOWN.");

    /** The keys of {@code readiness.checks.*}: the schedule of dependency checks registered without options. */
    public static final Keys<Builder, CheckOptions> KEYS = Keys.of("checks", "readiness.checks",
                    CheckOptions::builder, Builder::build)
            .key(INTERVAL, Builder::interval)
            .key(TIMEOUT, Builder::timeout)
            .key(FAILURE_THRESHOLD, Builder::failureThreshold)
            .key(SUCCESS_THRESHOLD, Builder::successThreshold)
            .key(STALE_AFTER, Builder::staleAfter)
            .key(INITIAL_DELAY, Builder::initialDelay)
            .key(INITIAL_RETRY_DELAY, Builder::initialRetryDelay)
            .key(RECOVERY_INTERVAL, Builder::recoveryInterval)
            .key(CONNECTION_GRACE, Builder::connectionGrace);

    private static final CheckOptions DEFAULTS = builder().build();

    private final Duration interval;
    private final Duration timeout;
    private final Duration initialDelay;
    private final Duration initialRetryDelay;
    private final Duration recoveryInterval;
    private final Duration connectionGrace;
    private final int failureThreshold;
    private final int successThreshold;
    private final Duration staleAfter;
    private final boolean staleAfterSet;
    private final boolean required;

    private CheckOptions(Builder b) {
        this.interval = INTERVAL.check(b.interval);
        this.timeout = TIMEOUT.check(b.timeout);
        this.initialDelay = INITIAL_DELAY.check(b.initialDelay);
        this.initialRetryDelay = INITIAL_RETRY_DELAY.check(b.initialRetryDelay);
        this.recoveryInterval = RECOVERY_INTERVAL.check(b.recoveryInterval);
        this.connectionGrace = CONNECTION_GRACE.check(b.connectionGrace);
        this.failureThreshold = FAILURE_THRESHOLD.check(b.failureThreshold);
        this.successThreshold = SUCCESS_THRESHOLD.check(b.successThreshold);
        Duration stale = b.staleAfter != null ? STALE_AFTER.check(b.staleAfter)
                : interval.multipliedBy(3).plus(timeout);
        if (stale.compareTo(interval.plus(timeout)) < 0) {
            throw new ReadinessConfigException(STALE_AFTER.name(), Syntax.formatDuration(stale),
                    "must be at least interval + timeout (" + Syntax.formatDuration(interval.plus(timeout))
                            + "), or every result is stale before the next one arrives");
        }
        this.staleAfter = stale;
        this.staleAfterSet = b.staleAfter != null;
        this.required = b.required;
    }

    /**
     * The options {@code source} gives for {@code readiness.checks.*}, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static CheckOptions from(SettingsSource source) {
        return KEYS.read(source);
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
        b.recoveryInterval = recoveryInterval;
        b.connectionGrace = connectionGrace;
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

    /**
     * How long after a failed evaluation a check that is DOWN, and has passed before, is evaluated again, until one
     * evaluation passes; each wait is drawn between half and all of it (jitter, so replicas do not probe a returning
     * dependency in step). Zero, or a value not below the interval: the interval alone. Default
     * {@link #DEFAULT_RECOVERY_INTERVAL} (1 s).
     */
    public Duration recoveryInterval() {
        return recoveryInterval;
    }

    /**
     * How long a {@link ConnectionAware} check's client may take to restore a lost connection before the check turns
     * DOWN at once. Zero: DOWN as soon as the loss is reported. Default {@link #DEFAULT_CONNECTION_GRACE} (1 s).
     */
    public Duration connectionGrace() {
        return connectionGrace;
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
                + ", initialRetryDelay=" + initialRetryDelay + ", recoveryInterval=" + recoveryInterval
                + ", connectionGrace=" + connectionGrace
                + ", failureThreshold=" + failureThreshold + ", successThreshold=" + successThreshold
                + ", staleAfter=" + staleAfter + ", required=" + required + "}";
    }

    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private Duration initialRetryDelay = DEFAULT_INITIAL_RETRY_DELAY;
        private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
        private Duration connectionGrace = DEFAULT_CONNECTION_GRACE;
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

        /** See {@link CheckOptions#recoveryInterval()}; zero leaves recovery to the interval. */
        public Builder recoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = recoveryInterval;
            return this;
        }

        /** See {@link CheckOptions#connectionGrace()}. */
        public Builder connectionGrace(Duration connectionGrace) {
            this.connectionGrace = connectionGrace;
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
