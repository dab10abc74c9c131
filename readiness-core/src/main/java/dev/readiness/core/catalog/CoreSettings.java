package dev.readiness.core.catalog;

import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsProvider;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.warmup.WarmUpSettings;

import java.util.List;

/** The settings readiness-core declares: dependency checks, drain, liveness checks, listen queue, ConfigMap reload
 * and warm-up. */
public final class CoreSettings implements SettingsProvider {

    @Override
    public List<Keys<?, ?>> settings() {
        return List.of(CheckOptions.KEYS, DrainSettings.KEYS, LivenessSettings.KEYS, ListenQueueSettings.KEYS,
                ConfigMapWatcher.KEYS, WarmUpSettings.KEYS);
    }
}
