package dev.readiness.core.drain;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;

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
    private static final String EXIT_CODE_ALLOWED = "must be 0..255, or 'jvm' to let the JVM choose (143 after SIGTERM)";

    /** {@code readiness.drain.propagation-delay}. */
    public static final Key<Duration> PROPAGATION_DELAY = Key.duration(PREFIX + "propagation-delay")
            .defaultsTo(DEFAULT_PROPAGATION_DELAY).between(Duration.ZERO, MAX)
            .means("Time readiness is DOWN while the service keeps serving, so endpoints and load balancers drop"
                    + " the pod.");
    /** {@code readiness.drain.timeout}. */
    public static final Key<Duration> TIMEOUT = Key.duration(PREFIX + "timeout").defaultsTo(DEFAULT_TIMEOUT)
            .between(Duration.ZERO, MAX).means("Longest wait for in-flight requests once accepting stopped.");
    /** {@code readiness.drain.resource-close-timeout}. */
    public static final Key<Duration> RESOURCE_CLOSE_TIMEOUT = Key.duration(PREFIX + "resource-close-timeout")
            .defaultsTo(DEFAULT_RESOURCE_CLOSE_TIMEOUT).positiveUpTo(MAX)
            .means("Longest wait for one registered resource (a pool, a client) to close.");
    /** {@code readiness.drain.termination-grace-period}. */
    public static final Key<Duration> TERMINATION_GRACE_PERIOD = Key.duration(PREFIX + "termination-grace-period")
            .defaultsTo(DEFAULT_TERMINATION_GRACE_PERIOD).positiveUpTo(MAX)
            .means("The pod's terminationGracePeriodSeconds; the drain is checked to fit in it.");
    /** {@code readiness.drain.exit-code}: empty is {@code jvm}. */
    public static final Key<OptionalInt> EXIT_CODE = Key.of(PREFIX + "exit-code",
                    Syntax.of("java.lang.String", DrainSettings::exitCodeText,
                            c -> c.isPresent() ? String.valueOf(c.getAsInt()) : "jvm"))
            .defaultsTo(OptionalInt.of(DEFAULT_EXIT_CODE))
            .allowed(EXIT_CODE_ALLOWED, c -> c.isEmpty() || (c.getAsInt() >= 0 && c.getAsInt() <= 255))
            .means("Exit status after a drain that a signal started; jvm lets the JVM exit by itself (143 after"
                    + " SIGTERM).");

    /** The keys of {@code readiness.drain.*}. */
    public static final Keys<Builder, DrainSettings> KEYS = Keys.of("drain", "readiness.drain",
                    DrainSettings::builder, Builder::build)
            .key(PROPAGATION_DELAY, Builder::propagationDelay)
            .key(TIMEOUT, Builder::timeout)
            .key(RESOURCE_CLOSE_TIMEOUT, Builder::resourceCloseTimeout)
            .key(TERMINATION_GRACE_PERIOD, Builder::terminationGracePeriod)
            .key(EXIT_CODE, (b, c) -> b.exitCode(c));

    private static final DrainSettings DEFAULTS = builder().build();

    private final Duration propagationDelay;
    private final Duration timeout;
    private final Duration resourceCloseTimeout;
    private final Duration terminationGracePeriod;
    private final OptionalInt exitCode;

    private DrainSettings(Builder b) {
        this.propagationDelay = PROPAGATION_DELAY.check(b.propagationDelay);
        this.timeout = TIMEOUT.check(b.timeout);
        this.resourceCloseTimeout = RESOURCE_CLOSE_TIMEOUT.check(b.resourceCloseTimeout);
        this.terminationGracePeriod = TERMINATION_GRACE_PERIOD.check(b.terminationGracePeriod);
        this.exitCode = EXIT_CODE.check(b.exitCode);
    }

    /**
     * Parses {@code readiness.drain.exit-code}: a number 0..255, or {@code jvm}. Shared by every front end of
     * the setting (SmallRye mapping, Spring Boot properties), so the value means the same everywhere.
     */
    public static OptionalInt parseExitCode(String value) {
        return EXIT_CODE.parse(value == null ? "" : value);
    }

    private static OptionalInt exitCodeText(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("jvm")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number", e);
        }
    }

    /**
     * The settings {@code source} gives for {@code readiness.drain.*}, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static DrainSettings from(SettingsSource source) {
        return KEYS.read(source);
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
