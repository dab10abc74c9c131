package dev.readiness.core.listen;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.listen.*} read from a MicroProfile config: the listen-queue probe. The keys, their defaults
 * and rules are {@link ListenQueueSettings#KEYS}'s; see the settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.listen.enabled=true                  # READINESS_LISTEN_ENABLED
 * readiness.listen.ports=8080,8443               # empty: the process's own listeners
 * </pre>
 */
public final class ListenQueueConfig {

    private ListenQueueConfig() {
    }

    /**
     * Reads and validates {@code readiness.listen.*} from {@code config}; see {@link ListenQueueSettings#enabled()}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ListenQueueSettings from(Config config) {
        return ListenQueueSettings.from(SettingsSource.of(config));
    }
}
