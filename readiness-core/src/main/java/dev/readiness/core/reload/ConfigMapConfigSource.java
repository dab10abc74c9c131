package dev.readiness.core.reload;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * A MicroProfile ConfigSource over a {@link ConfigMapWatcher}: every lookup reads the snapshot in force, so a
 * reload is visible at once and no lookup mixes two generations within one call.
 * Ordinal {@value #DEFAULT_ORDINAL} by default: above {@code microprofile-config.properties} (100), below
 * environment variables (300) and system properties (400), so an operator's override still wins.
 */
final class ConfigMapConfigSource implements ConfigSource {

    static final int DEFAULT_ORDINAL = 250;

    private final ConfigMapWatcher watcher;
    private final int ordinal;

    ConfigMapConfigSource(ConfigMapWatcher watcher, int ordinal) {
        this.watcher = watcher;
        this.ordinal = ordinal;
    }

    @Override
    public Map<String, String> getProperties() {
        return watcher.current().values();
    }

    @Override
    public Set<String> getPropertyNames() {
        return watcher.current().values().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return watcher.current().values().get(propertyName);
    }

    @Override
    public String getName() {
        return "ConfigMap " + watcher.directory();
    }

    @Override
    public int getOrdinal() {
        return ordinal;
    }
}
