package dev.readiness.health.jolokia;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;

import java.util.Optional;

/**
 * {@code readiness.jolokia.*} as configured: whether the read-only endpoint starts, and how it is exposed. The
 * keys' defaults and rules live here and in {@link JolokiaSettings}; {@link #settings()} checks the rules that
 * span keys (authentication beyond loopback) only when the endpoint is enabled.
 */
public final class JolokiaOptions {

    private static final String P = "readiness.jolokia.";

    /** {@code readiness.jolokia.enabled}. */
    public static final Key<Boolean> ENABLED = Key.flag(P + "enabled").defaultsTo(false)
            .means("Whether the read-only Jolokia endpoint starts (needs org.jolokia:jolokia-agent-jvm).");
    /** {@code readiness.jolokia.host}. */
    public static final Key<String> HOST = Key.text(P + "host").defaultsTo(JolokiaSettings.DEFAULT_HOST)
            .allowed("must be a host name or IP address", h -> !h.isBlank() && h.strip().equals(h)
                    && h.length() <= 253 && h.chars().noneMatch(c -> Character.isISOControl(c) || c == ' '))
            .means("Address to bind; anything but loopback requires a user and password.");
    /** {@code readiness.jolokia.port}. */
    public static final Key<Integer> PORT = Key.integer(P + "port").defaultsTo(JolokiaSettings.DEFAULT_PORT)
            .allowed("must be 0..65535 (0 picks a free port)", p -> p >= 0 && p <= 65535)
            .means("Port of the Jolokia endpoint.");
    /** {@code readiness.jolokia.user}. */
    public static final Key<String> USER = Key.text(P + "user").unsetMeans("no authentication (loopback only)")
            .allowed("must be a user name without control characters",
                    u -> u.chars().noneMatch(c -> Character.isISOControl(c) || c == ':'))
            .means("Basic-auth user, set together with the password.");
    /** {@code readiness.jolokia.password}. */
    public static final Key<String> PASSWORD = Key.text(P + "password").unsetMeans("no authentication (loopback only)")
            .allowed("must be a password without control characters", p -> p.chars().noneMatch(Character::isISOControl))
            .means("Basic-auth password, set together with the user.");

    /** The keys of {@code readiness.jolokia.*}. */
    public static final Keys<Builder, JolokiaOptions> KEYS = Keys.of("Jolokia", "readiness.jolokia",
                    JolokiaOptions::builder, Builder::build)
            .key(ENABLED, Builder::enabled)
            .key(HOST, Builder::host)
            .key(PORT, Builder::port)
            .key(USER, Builder::user)
            .key(PASSWORD, Builder::password);

    private final boolean enabled;
    private final String host;
    private final int port;
    private final Optional<String> user;
    private final Optional<String> password;

    private JolokiaOptions(Builder b) {
        this.enabled = b.enabled;
        this.host = HOST.check(b.host);
        this.port = PORT.check(b.port);
        this.user = Optional.ofNullable(b.user).map(USER::check);
        this.password = Optional.ofNullable(b.password).map(PASSWORD::check);
    }

    /**
     * The options {@code source} gives for {@code readiness.jolokia.*}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static JolokiaOptions from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The endpoint's settings, or empty when it is not enabled.
     *
     * @throws ReadinessConfigException when enabled and a rule that spans keys is broken
     */
    public Optional<JolokiaSettings> settings() {
        return enabled ? Optional.of(new JolokiaSettings(host, port, user, password)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "JolokiaOptions{enabled=" + enabled + ", host=" + host + ", port=" + port + ", user="
                + user.orElse("(unset)") + ", password=" + (password.isPresent() ? "(set)" : "(unset)") + "}";
    }

    /** Builds {@link JolokiaOptions}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private boolean enabled = ENABLED.defaultValue();
        private String host = HOST.defaultValue();
        private int port = PORT.defaultValue();
        private String user;
        private String password;

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

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public JolokiaOptions build() {
            return new JolokiaOptions(this);
        }
    }
}
