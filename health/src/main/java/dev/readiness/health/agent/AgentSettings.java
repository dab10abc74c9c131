package dev.readiness.health.agent;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;
import dev.readiness.health.saturation.SaturationSettings;

import java.time.Duration;

/**
 * {@code readiness.agent.*}: the HAProxy agent-check endpoint, off by default, and how its weight follows
 * saturation and the slow start. Immutable; the one home of these keys' defaults and rules, including those that
 * span keys (checked in {@link Builder#build()}).
 */
public final class AgentSettings {

    /** Default port: 8082, beside the management port 8081. */
    public static final int DEFAULT_PORT = 8082;
    /** The longest request line the agent reads (HAProxy's {@code agent-send}); more is refused unread. */
    public static final int MAX_REQUEST_BYTES = 256;

    private static final String P = "readiness.agent.";

    /** {@code readiness.agent.enabled}. */
    public static final Key<Boolean> ENABLED = Key.flag(P + "enabled").defaultsTo(false)
            .means("Whether the HAProxy agent-check endpoint starts.");
    /** {@code readiness.agent.host}. */
    public static final Key<String> HOST = Key.text(P + "host").defaultsTo("0.0.0.0")
            .allowed("must be a host name or IP address", h -> !h.isBlank() && h.strip().equals(h)
                    && h.length() <= 253 && h.chars().noneMatch(c -> Character.isISOControl(c) || c == ' '))
            .means("Address the agent endpoint binds; the load balancer must reach it.");
    /** {@code readiness.agent.port}. */
    public static final Key<Integer> PORT = Key.integer(P + "port").defaultsTo(DEFAULT_PORT)
            .allowed("must be 0..65535 (0 picks a free port)", p -> p >= 0 && p <= 65535)
            .means("Port of the agent endpoint (HAProxy's agent-port).");
    /** {@code readiness.agent.read-timeout}. */
    public static final Key<Duration> READ_TIMEOUT = Key.duration(P + "read-timeout")
            .defaultsTo(Duration.ofMillis(100)).between(Duration.ofMillis(1), Duration.ofSeconds(5))
            .means("How long the agent waits for the optional request line (HAProxy's agent-send) before it"
                    + " answers; a line ended by a newline is answered at once.");
    /** {@code readiness.agent.shed-above}. */
    public static final Key<Double> SHED_ABOVE = Key.of(P + "shed-above", SaturationSettings.RATIO)
            .defaultsTo(0.8).allowed("must be a ratio from 0.05 to 100", v -> v >= 0.05 && v <= 100)
            .means("Saturation above which the weight falls below 100%.");
    /** {@code readiness.agent.shed-full}. */
    public static final Key<Double> SHED_FULL = Key.of(P + "shed-full", SaturationSettings.RATIO)
            .defaultsTo(1.5).allowed("must be a ratio from 0.05 to 100, above readiness.agent.shed-above",
                    v -> v >= 0.05 && v <= 100)
            .means("Saturation at which the weight reaches readiness.agent.min-weight.");
    /** {@code readiness.agent.hysteresis}. */
    public static final Key<Double> HYSTERESIS = Key.of(P + "hysteresis", SaturationSettings.RATIO)
            .defaultsTo(0.1).allowed("must be a ratio from 0 to 100, below readiness.agent.shed-above",
                    v -> v >= 0 && v <= 100)
            .means("Once shedding, the weight is full again only when saturation is this much below"
                    + " readiness.agent.shed-above.");
    /** {@code readiness.agent.min-weight}. */
    public static final Key<Integer> MIN_WEIGHT = Key.integer(P + "min-weight").defaultsTo(10)
            .allowed("must be a percentage 1..100", v -> v >= 1 && v <= 100)
            .means("Lowest weight the agent answers while ready, in percent of the server's configured weight;"
                    + " also where the slow start begins.");
    /** {@code readiness.agent.slow-start}. */
    public static final Key<Duration> SLOW_START = Key.duration(P + "slow-start").defaultsTo(Duration.ZERO)
            .between(Duration.ZERO, Duration.ofHours(1))
            .means("After readiness first turns UP, the weight ramps from readiness.agent.min-weight to 100% over"
                    + " this time; 0s answers full weight at once.");

    /** The keys of {@code readiness.agent.*}. */
    public static final Keys<Builder, AgentSettings> KEYS = Keys.of("HAProxy agent", "readiness.agent",
                    AgentSettings::builder, Builder::build)
            .key(ENABLED, Builder::enabled)
            .key(HOST, Builder::host)
            .key(PORT, Builder::port)
            .key(READ_TIMEOUT, Builder::readTimeout)
            .key(SHED_ABOVE, Builder::shedAbove)
            .key(SHED_FULL, Builder::shedFull)
            .key(HYSTERESIS, Builder::hysteresis)
            .key(MIN_WEIGHT, Builder::minWeight)
            .key(SLOW_START, Builder::slowStart);

    private final boolean enabled;
    private final String host;
    private final int port;
    private final Duration readTimeout;
    private final double shedAbove;
    private final double shedFull;
    private final double hysteresis;
    private final int minWeight;
    private final Duration slowStart;

    private AgentSettings(Builder b) {
        this.enabled = b.enabled;
        this.host = HOST.check(b.host);
        this.port = PORT.check(b.port);
        this.readTimeout = READ_TIMEOUT.check(b.readTimeout);
        this.shedAbove = SHED_ABOVE.check(b.shedAbove);
        this.shedFull = SHED_FULL.check(b.shedFull);
        this.hysteresis = HYSTERESIS.check(b.hysteresis);
        this.minWeight = MIN_WEIGHT.check(b.minWeight);
        this.slowStart = SLOW_START.check(b.slowStart);
        if (shedFull <= shedAbove) {
            throw new ReadinessConfigException(SHED_FULL.name(), SaturationSettings.RATIO.format(shedFull),
                    "must be above readiness.agent.shed-above (" + SaturationSettings.RATIO.format(shedAbove) + ")");
        }
        if (hysteresis >= shedAbove) {
            throw new ReadinessConfigException(HYSTERESIS.name(), SaturationSettings.RATIO.format(hysteresis),
                    "must be below readiness.agent.shed-above (" + SaturationSettings.RATIO.format(shedAbove) + ")");
        }
    }

    /**
     * The settings {@code source} gives.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static AgentSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static AgentSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public double shedAbove() {
        return shedAbove;
    }

    public double shedFull() {
        return shedFull;
    }

    public double hysteresis() {
        return hysteresis;
    }

    public int minWeight() {
        return minWeight;
    }

    public Duration slowStart() {
        return slowStart;
    }

    @Override
    public String toString() {
        return "AgentSettings{enabled=" + enabled + ", host=" + host + ", port=" + port + ", readTimeout="
                + Syntax.formatDuration(readTimeout) + ", shedAbove=" + shedAbove + ", shedFull=" + shedFull
                + ", hysteresis=" + hysteresis + ", minWeight=" + minWeight + "%, slowStart="
                + Syntax.formatDuration(slowStart) + "}";
    }

    /** Builds {@link AgentSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private boolean enabled = ENABLED.defaultValue();
        private String host = HOST.defaultValue();
        private int port = PORT.defaultValue();
        private Duration readTimeout = READ_TIMEOUT.defaultValue();
        private double shedAbove = SHED_ABOVE.defaultValue();
        private double shedFull = SHED_FULL.defaultValue();
        private double hysteresis = HYSTERESIS.defaultValue();
        private int minWeight = MIN_WEIGHT.defaultValue();
        private Duration slowStart = SLOW_START.defaultValue();

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder shedAbove(double shedAbove) {
            this.shedAbove = shedAbove;
            return this;
        }

        public Builder shedFull(double shedFull) {
            this.shedFull = shedFull;
            return this;
        }

        public Builder hysteresis(double hysteresis) {
            this.hysteresis = hysteresis;
            return this;
        }

        public Builder minWeight(int minWeight) {
            this.minWeight = minWeight;
            return this;
        }

        public Builder slowStart(Duration slowStart) {
            this.slowStart = slowStart;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public AgentSettings build() {
            return new AgentSettings(this);
        }
    }
}
