package dev.readiness.gc.catalog;

import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.gc.runtime.GcSettings;

import java.util.List;

/** The settings readiness-gc-tuning declares: the GC advisor and the GC-pressure check. */
public final class GcTuningSettings implements SettingsProvider {

    @Override
    public List<Keys<?, ?>> settings() {
        return List.of(GcSettings.KEYS);
    }
}
