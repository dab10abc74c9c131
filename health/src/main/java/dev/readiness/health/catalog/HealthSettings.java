package dev.readiness.health.catalog;

import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.health.agent.AgentSettings;
import dev.readiness.health.jolokia.JolokiaOptions;
import dev.readiness.health.management.ManagementSettings;
import dev.readiness.health.saturation.SaturationSettings;

import java.util.List;

/** The settings readiness-health declares: the management server, the Jolokia endpoint, saturation
 * and the HAProxy agent. */
public final class HealthSettings implements SettingsProvider {

    @Override
    public List<Keys<?, ?>> settings() {
        return List.of(ManagementSettings.KEYS, JolokiaOptions.KEYS, SaturationSettings.KEYS, AgentSettings.KEYS);
    }
}
