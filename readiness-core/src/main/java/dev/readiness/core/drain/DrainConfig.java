package dev.readiness.core.drain;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.drain.*} read from a MicroProfile config: how a service drains on SIGTERM. The keys, their
 * defaults and rules are {@link DrainSettings#KEYS}'s; see the settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.drain.propagation-delay=5s          # READINESS_DRAIN_PROPAGATION_DELAY
 * readiness.drain.timeout=20s                   # READINESS_DRAIN_TIMEOUT
 * </pre>
 */
public final class DrainConfig {

    private DrainConfig() {
    }

    /**
     * Reads and validates {@code readiness.drain.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static DrainSettings from(Config config) {
        return DrainSettings.from(SettingsSource.of(config));
    }
}
