package dev.readiness.health.jolokia;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * {@code readiness.jolokia.*} read from a MicroProfile config: the read-only Jolokia endpoint, off by default.
 * The keys, their defaults and rules are {@link JolokiaOptions#KEYS}'s; see the settings table in
 * {@code src/docs/settings.md}.
 */
public final class JolokiaConfig {

    private JolokiaConfig() {
    }

    /**
     * Reads and validates {@code readiness.jolokia.*}: the endpoint's settings, or empty when it is not enabled.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static Optional<JolokiaSettings> from(Config config) {
        SettingsSource source = SettingsSource.of(config);
        JolokiaOptions options = JolokiaOptions.from(source);
        try {
            return options.settings();
        } catch (ReadinessConfigException e) {
            String written = source.text(e.key() == null ? "" : e.key()).orElse(null);
            throw written == null || written.equals(e.value()) ? e
                    : new ReadinessConfigException(e.key(), written, e.allowed(), e);
        }
    }
}
