package dev.readiness.gc.runtime;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.gc.*} read from a MicroProfile config: the GC advisor and the GC-pressure liveness check. The
 * keys, their defaults and rules are {@link GcSettings#KEYS}'s; see the settings table in
 * {@code src/docs/settings.md}.
 * <pre>
 * readiness.gc.advisor.enabled=true              # READINESS_GC_ADVISOR_ENABLED
 * readiness.gc.pressure.window=60s
 * </pre>
 */
public final class GcConfig {

    private GcConfig() {
    }

    /**
     * Reads and validates {@code readiness.gc.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static GcSettings from(Config config) {
        return GcSettings.from(SettingsSource.of(config));
    }
}
