package dev.readiness.core.check;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.checks.*} read from a MicroProfile config: the default schedule of dependency checks
 * registered without options. The keys, their defaults and rules are {@link CheckOptions#KEYS}'s; see the
 * settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.checks.interval=5s            # READINESS_CHECKS_INTERVAL
 * readiness.checks.timeout=2s
 * </pre>
 */
public final class ChecksConfig {

    private ChecksConfig() {
    }

    /**
     * Reads and validates {@code readiness.checks.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static CheckOptions from(Config config) {
        return CheckOptions.from(SettingsSource.of(config));
    }
}
