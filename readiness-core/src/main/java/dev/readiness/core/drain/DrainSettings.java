package dev.readiness.core.drain;

import dev.readiness.core.config.ReadinessConfigException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Immutable drain settings, validated when built. Defaults fit Kubernetes' default 30 s grace period:
 * propagation delay 5 s + drain timeout 20 s + resource close timeout 2 s = 27 s, leaving 3 s for the JVM to
 * exit before SIGKILL.
 */
public final class DrainSettings {

    /** Default time readiness is DOWN while still serving: 5 s. */
    public static final Duration DEFAULT_PROPAGATION_DELAY = Duration.ofSeconds(5);
    /** Default wait for in-flight requests: 20 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    /** Default wait for each registered resource to close: 2 s. */
    public static final Duration DEFAULT_RESOURCE_CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** Kubernetes' default {@code terminationGracePeriodSeconds}: 30 s. */
    public static final Duration DEFAULT_TERMINATION_GRACE_PERIOD = Duration.ofSeconds(30);
    /** Default exit status after a signal-started drain: 0. */
    public static final int DEFAULT_EXIT_CODE = 0;

    static final String PREFIX = "readiness.drain.";
    private static final Duration MAX = Duration.ofHours(1);
    private static final DrainSettings DEFAULTS = builder().build();

    private final Duration propagationDelay;
    private final Duration timeout;
    private final Duration resourceCloseTimeout;
    private final Duration terminationGracePeriod;
    private final OptionalInt exitCode;

    private DrainSettings(Builder b) {
        this.propagationDelay = range("propagation-delay", b.propagationDelay, true);
        this.timeout = range("timeout", b.timeout, true);
        this.resourceCloseTimeout = range("resource-close-timeout", b.resourceCloseTimeout, false);
        this.terminationGracePeriod = range("termination-grace-period", b.terminationGracePeriod, false);
        this.exitCode = b.exitCode;
        exitCode.ifPresent(c -> ReadinessConfigException.require(c >= 0 && c <= 255, PREFIX + "exit-code", c,
                "must be 0..255, or 'jvm' to let the JVM choose (143 after SIGTERM)"));
    }

    private static Duration range(String key, Duration d, boolean zeroAllowed) {
        ReadinessConfigException.require(d != null, PREFIX + key, "(empty)", "must be a duration such as 5s");
        ReadinessConfigException.require(!d.isNegative() && (zeroAllowed || !d.isZero()), PREFIX + key, d,
                zeroAllowed ? "must not be negative" : "must be a positive duration");
        ReadinessConfigException.require(d.compareTo(MAX) <= 0, PREFIX + key, d, "must be at most 1h");
        return d;
    }

    /**
     * Parses {@code readiness.drain.exit-code}: a number 0..255, or {@code jvm}. Shared by every front end of
     * the setting (SmallRye mapping, Spring Boot properties), so the value means the same everywhere.
     */
    public static OptionalInt parseExitCode(String value) {
        String v = value == null ? "" : value.trim();
        if (v.equalsIgnoreCase("jvm")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new ReadinessConfigException(PREFIX + "exit-code", value,
                    "must be 0..255, or 'jvm' to let the JVM choose (143 after SIGTERM)");
        }
    }

    public static DrainSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().propagationDelay(propagationDelay).timeout(timeout)
                .resourceCloseTimeout(resourceCloseTimeout).terminationGracePeriod(terminationGracePeriod)
                .exitCode(exitCode);
    }

    /** Time readiness is DOWN while the service keeps serving. Default 5 s. */
    public Duration propagationDelay() {
        return propagationDelay;
    }

    /** Longest wait for in-flight requests after accepting stopped. Default 20 s. */
    public Duration timeout() {
        return timeout;
    }

    /** Longest wait for each registered resource to close. Default 2 s. */
    public Duration resourceCloseTimeout() {
        return resourceCloseTimeout;
    }

    /** The pod's termination grace period, to check the sum against. Default 30 s. */
    public Duration terminationGracePeriod() {
        return terminationGracePeriod;
    }

    /** Exit status after a signal-started drain; empty lets the JVM exit by itself (143). Default 0. */
    public OptionalInt exitCode() {
        return exitCode;
    }

    /** Propagation delay + drain timeout + one resource close timeout. */
    public Duration worstCase() {
        return propagationDelay.plus(timeout).plus(resourceCloseTimeout);
    }

    /**
     * A warning with the numbers and the fix when {@link #worstCase()} does not fit the termination grace
     * period; empty when it fits.
     */
    public Optional<String> gracePeriodProblem() {
        if (worstCase().compareTo(terminationGracePeriod) <= 0) {
            return Optional.empty();
        }
        long need = (worstCase().toMillis() + 999) / 1000 + 1;
        Duration room = terminationGracePeriod.minus(propagationDelay).minus(resourceCloseTimeout).minusSeconds(1);
        String lower = room.isNegative() || room.isZero()
                ? "or lower readiness.drain.propagation-delay"
                : "or lower readiness.drain.timeout to " + seconds(room);
        return Optional.of("drain does not fit the termination grace period: propagation-delay "
                + seconds(propagationDelay) + " + timeout " + seconds(timeout) + " + resource-close-timeout "
                + seconds(resourceCloseTimeout) + " = " + seconds(worstCase()) + " > termination-grace-period "
                + seconds(terminationGracePeriod) + "; Kubernetes sends SIGKILL before the drain can finish. Fix:"
                + " set terminationGracePeriodSeconds: " + need + " in the pod spec and"
                + " readiness.drain.termination-grace-period=" + need + "s, " + lower);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0);
    }

    @Override
    public String toString() {
        return "propagation-delay=" + seconds(propagationDelay) + ", timeout=" + seconds(timeout)
                + ", resource-close-timeout=" + seconds(resourceCloseTimeout) + ", termination-grace-period="
                + seconds(terminationGracePeriod) + ", exit-code="
                + (exitCode.isPresent() ? String.valueOf(exitCode.getAsInt()) : "jvm");
    }

    /** Builds {@link DrainSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private Duration propagationDelay = DEFAULT_PROPAGATION_DELAY;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration resourceCloseTimeout = DEFAULT_RESOURCE_CLOSE_TIMEOUT;
        private Duration terminationGracePeriod = DEFAULT_TERMINATION_GRACE_PERIOD;
        private OptionalInt exitCode = OptionalInt.of(DEFAULT_EXIT_CODE);

        private Builder() {
        }

        public Builder propagationDelay(Duration d) {
            this.propagationDelay = d;
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Builder resourceCloseTimeout(Duration d) {
            this.resourceCloseTimeout = d;
            return this;
        }

        public Builder terminationGracePeriod(Duration d) {
            this.terminationGracePeriod = d;
            return this;
        }

        /** Exit status after a signal-started drain, 0..255. */
        public Builder exitCode(int code) {
            this.exitCode = OptionalInt.of(code);
            return this;
        }

        /** Empty lets the JVM exit by itself after a signal (status 143 for SIGTERM). */
        public Builder exitCode(OptionalInt code) {
            this.exitCode = Objects.requireNonNull(code, "code");
            return this;
        }

        /** @throws ReadinessConfigException naming the setting and the bad value */
        public DrainSettings build() {
            return new DrainSettings(this);
        }
    }
}
