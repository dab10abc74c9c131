package dev.readiness.health.management;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.management.*} read from a MicroProfile config: the management HTTP server. The keys, their
 * defaults and rules are {@link ManagementSettings#KEYS}'s; see the settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.management.port=8081       # READINESS_MANAGEMENT_PORT; 0 picks a free port
 * readiness.management.details=false   # whether ?verbose shows per-check detail
 * </pre>
 */
public final class ManagementConfig {

    private ManagementConfig() {
    }

    /**
     * Reads and validates {@code readiness.management.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ManagementSettings from(Config config) {
        return ManagementSettings.from(SettingsSource.of(config));
    }

    /**
     * Reads and validates {@code readiness.management.*} into {@code builder}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ManagementServer.Builder applyTo(Config config, ManagementServer.Builder builder) {
        return builder.settings(from(config));
    }
}
