package dev.readiness.health.saturation;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * {@code readiness.saturation.*}: whether the saturation gauge is registered, and the concurrency target that is its
 * denominator where the server has no bounded worker pool (virtual threads, a plain servlet container). Immutable;
 * the one home of these keys' defaults and rules.
 */
public final class SaturationSettings {

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    /**
     * A plain decimal ratio such as {@code 0.8} or {@code 1.5}: digits with an optional fraction; no sign, exponent,
     * {@code NaN} or {@code Infinity}.
     */
    public static final Syntax<Double> RATIO = Syntax.of("java.lang.Double", text -> {
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("not a decimal number such as 0.8");
        }
        return Double.valueOf(t);
    }, v -> BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());

    private static final String P = "readiness.saturation.";

    /** {@code readiness.saturation.enabled}. */
    public static final Key<Boolean> ENABLED = Key.flag(P + "enabled").defaultsTo(true)
            .means("Whether the readiness.saturation gauge is registered.");
    /** {@code readiness.saturation.concurrency-target}. */
    public static final Key<Integer> CONCURRENCY_TARGET = Key.integer(P + "concurrency-target")
            .unsetMeans("the server's own worker pool (Tomcat, Jetty); without one the gauge is not registered")
            .range(1, 1_000_000)
            .means("Concurrent requests one instance is sized for: the gauge is requests in flight over this"
                    + " target (for virtual threads and servers without a bounded worker pool). Set, it is used"
                    + " even where a worker pool could be read.");

    /** The keys of {@code readiness.saturation.*}. */
    public static final Keys<Builder, SaturationSettings> KEYS = Keys.of("saturation", "readiness.saturation",
                    SaturationSettings::builder, Builder::build)
            .key(ENABLED, Builder::enabled)
            .key(CONCURRENCY_TARGET, Builder::concurrencyTarget);

    private final boolean enabled;
    private final Integer concurrencyTarget;

    private SaturationSettings(Builder b) {
        this.enabled = b.enabled;
        this.concurrencyTarget = b.concurrencyTarget == null ? null : CONCURRENCY_TARGET.check(b.concurrencyTarget);
    }

    /**
     * The settings {@code source} gives.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static SaturationSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static SaturationSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The concurrency target, when set. */
    public OptionalInt concurrencyTarget() {
        return concurrencyTarget == null ? OptionalInt.empty() : OptionalInt.of(concurrencyTarget);
    }

    /**
     * The source these settings choose for {@code server}, the one rule of every integration: nothing when the gauge
     * is off; work in flight over the concurrency target when it is set ({@code inFlight} makes that source from
     * the target), even where a pool could be read; else the server's own {@code pool}; else nothing, and
     * {@code warnings} gets {@link #missingTargetWarning} once.
     */
    public Optional<Saturation> choose(String server, IntFunction<Saturation> inFlight, Optional<Saturation> pool,
                                       Consumer<String> warnings) {
        if (!enabled) {
            return Optional.empty();
        }
        if (concurrencyTarget != null) {
            return Optional.of(inFlight.apply(concurrencyTarget));
        }
        if (pool.isEmpty()) {
            warnings.accept(missingTargetWarning(server));
        }
        return pool;
    }

    /** The one WARN line for a server whose saturation cannot be read without a target. */
    public static String missingTargetWarning(String server) {
        return "readiness.saturation: " + server + " has no bounded worker pool to read, so the gauge "
                + SaturationMetrics.NAME + " is not registered; set " + CONCURRENCY_TARGET.name()
                + " to the concurrent requests one instance is sized for";
    }

    @Override
    public String toString() {
        return "SaturationSettings{enabled=" + enabled + ", concurrencyTarget="
                + Optional.ofNullable(concurrencyTarget).map(String::valueOf).orElse("(unset)") + "}";
    }

    /** Builds {@link SaturationSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private boolean enabled = ENABLED.defaultValue();
        private Integer concurrencyTarget;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws ReadinessConfigException when not 1..1,000,000 */
        public Builder concurrencyTarget(int target) {
            this.concurrencyTarget = CONCURRENCY_TARGET.check(target);
            return this;
        }

        public SaturationSettings build() {
            return new SaturationSettings(this);
        }
    }
}
