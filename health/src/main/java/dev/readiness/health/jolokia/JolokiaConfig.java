package dev.readiness.health.jolokia;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * {@code readiness.jolokia.*}: the optional, read-only Jolokia endpoint. Off by default.
 * <pre>
 * readiness.jolokia.enabled=false     # READINESS_JOLOKIA_ENABLED
 * readiness.jolokia.host=127.0.0.1    # anything but loopback requires user and password
 * readiness.jolokia.port=8778
 * readiness.jolokia.user=
 * readiness.jolokia.password=
 * </pre>
 */
@ConfigMapping(prefix = "readiness.jolokia")
public interface JolokiaConfig {

    /** Start the endpoint. */
    @WithDefault("false")
    boolean enabled();

    /** Address to bind. */
    @WithDefault(JolokiaSettings.DEFAULT_HOST)
    String host();

    /** Port; 0 picks a free one. */
    @WithDefault("8778")
    int port();

    /** Basic-auth user; required with a password when the host is not loopback. */
    Optional<String> user();

    /** Basic-auth password. */
    Optional<String> password();

    /**
     * The settings, or empty when disabled.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default Optional<JolokiaSettings> toSettings() {
        if (!enabled()) {
            return Optional.empty();
        }
        String p = "readiness.jolokia.";
        ReadinessConfigException.require(port() >= 0 && port() <= 65535, p + "port", port(), "must be 0..65535");
        ReadinessConfigException.require(user().isPresent() == password().isPresent(), p + "user",
                user().orElse("(unset)"), "user and password must be set together");
        try {
            return Optional.of(new JolokiaSettings(host(), port(), user(), password()));
        } catch (IllegalArgumentException e) {
            throw new ReadinessConfigException(p + "host", host(), e.getMessage(), e);
        }
    }

    /** Reads and validates {@code readiness.jolokia.*}. */
    static Optional<JolokiaSettings> from(Config config) {
        return ReadinessConfig.mapping(config, JolokiaConfig.class).toSettings();
    }
}
