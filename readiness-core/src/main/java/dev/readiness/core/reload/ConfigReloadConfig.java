package dev.readiness.core.reload;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.config.*} read from a MicroProfile config: where the ConfigMap is mounted and how it is
 * watched. The keys, their defaults and rules are {@link ConfigMapWatcher#KEYS}'s; see the settings table in
 * {@code src/docs/settings.md}.
 * <pre>
 * readiness.config.dir=/etc/config              # READINESS_CONFIG_DIR
 * readiness.config.poll-interval=1s
 * </pre>
 */
public final class ConfigReloadConfig {

    private ConfigReloadConfig() {
    }

    /**
     * A watcher builder with {@code readiness.config.*} from {@code config}; add validators, listeners and
     * mappings, then build and start.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ConfigMapWatcher.Builder from(Config config) {
        return ConfigMapWatcher.builder(SettingsSource.of(config));
    }
}
