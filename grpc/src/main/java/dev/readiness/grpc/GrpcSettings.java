package dev.readiness.grpc;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable {@code readiness.grpc.*} settings, validated when built; the one home of their defaults and rules.
 * <p>
 * {@code max-connection-age} (default 5 min): after it, the server sends a connection a GOAWAY, so a client
 * behind an L4 Service reconnects and may land on a pod that started since. grpc-java adds a random jitter of
 * &plusmn;10 % itself, so connections opened together do not all reconnect together. Five minutes costs one
 * reconnect per connection per five minutes and still spreads long-lived channels over new pods within a
 * rollout's time scale. {@code max-connection-age-grace} (default 20 s, the drain timeout's default): how long
 * calls already running on an aged connection may go on before the connection is closed; a stream still open
 * then ends with {@code UNAVAILABLE}, which a client retries elsewhere.
 */
public final class GrpcSettings {

    /** Default age after which a connection is sent GOAWAY: 5 min (grpc-java adds &plusmn;10 % jitter). */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(5);
    /** Default time calls on an aged connection may still run: 20 s. */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = Duration.ofSeconds(20);

    static final String PREFIX = "readiness.grpc.";
    private static final Duration MIN_AGE = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofDays(1);

    /** {@code readiness.grpc.max-connection-age}. */
    public static final Key<Duration> MAX_CONNECTION_AGE = Key.duration(PREFIX + "max-connection-age")
            .defaultsTo(DEFAULT_MAX_CONNECTION_AGE).between(MIN_AGE, MAX)
            .means("Age after which the server sends a connection GOAWAY, so clients behind an L4 Service reconnect"
                    + " and spread over new pods (grpc-java adds 10 % jitter).");
    /** {@code readiness.grpc.max-connection-age-grace}. */
    public static final Key<Duration> MAX_CONNECTION_AGE_GRACE = Key.duration(PREFIX + "max-connection-age-grace")
            .defaultsTo(DEFAULT_MAX_CONNECTION_AGE_GRACE).between(Duration.ZERO, MAX)
            .means("Time calls already running on an aged connection may go on before it is closed.");

    /** The keys of {@code readiness.grpc.*}. */
    public static final Keys<Builder, GrpcSettings> KEYS = Keys.of("gRPC", "readiness.grpc", GrpcSettings::builder,
                    Builder::build)
            .key(MAX_CONNECTION_AGE, Builder::maxConnectionAge)
            .key(MAX_CONNECTION_AGE_GRACE, Builder::maxConnectionAgeGrace);

    private static final GrpcSettings DEFAULTS = builder().build();

    private final Duration maxConnectionAge;
    private final Duration maxConnectionAgeGrace;

    private GrpcSettings(Builder b) {
        this.maxConnectionAge = MAX_CONNECTION_AGE.check(b.maxConnectionAge);
        this.maxConnectionAgeGrace = MAX_CONNECTION_AGE_GRACE.check(b.maxConnectionAgeGrace);
    }

    /**
     * The settings {@code source} gives for {@code readiness.grpc.*}, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static GrpcSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static GrpcSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxConnectionAge(maxConnectionAge).maxConnectionAgeGrace(maxConnectionAgeGrace);
    }

    /** Age after which the server sends a connection GOAWAY, before grpc-java's &plusmn;10 % jitter. Default 5 min. */
    public Duration maxConnectionAge() {
        return maxConnectionAge;
    }

    /** Time calls on an aged connection may still run before it is closed. Default 20 s. */
    public Duration maxConnectionAgeGrace() {
        return maxConnectionAgeGrace;
    }

    @Override
    public String toString() {
        return "max-connection-age=" + maxConnectionAge + ", max-connection-age-grace=" + maxConnectionAgeGrace;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrpcSettings s && s.maxConnectionAge.equals(maxConnectionAge)
                && s.maxConnectionAgeGrace.equals(maxConnectionAgeGrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConnectionAge, maxConnectionAgeGrace);
    }

    /** Builds {@link GrpcSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private Duration maxConnectionAge = DEFAULT_MAX_CONNECTION_AGE;
        private Duration maxConnectionAgeGrace = DEFAULT_MAX_CONNECTION_AGE_GRACE;

        private Builder() {
        }

        public Builder maxConnectionAge(Duration age) {
            this.maxConnectionAge = age;
            return this;
        }

        public Builder maxConnectionAgeGrace(Duration grace) {
            this.maxConnectionAgeGrace = grace;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public GrpcSettings build() {
            return new GrpcSettings(this);
        }
    }
}
