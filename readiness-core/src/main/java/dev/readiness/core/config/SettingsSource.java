package dev.readiness.core.config;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the text of settings comes from: a MicroProfile {@link Config} (system properties, environment
 * variables, {@code microprofile-config.properties}, SmallRye sources), a map, or the Spring Boot environment
 * (in the starter). A source only finds text by full key; reading, defaults and rules are the builders'
 * ({@link Keys}).
 */
@FunctionalInterface
public interface SettingsSource {

    /** The text given for {@code key} ({@code readiness.drain.timeout}), or empty when it is not set. */
    Optional<String> text(String key);

    /** No settings at all: every key keeps its default. */
    static SettingsSource none() {
        return key -> Optional.empty();
    }

    /** Exactly these keys and values. */
    static SettingsSource of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return key -> Optional.ofNullable(copy.get(key));
    }

    /**
     * The keys of a MicroProfile config, with its property expressions expanded; environment variables are found
     * the MicroProfile way ({@code READINESS_DRAIN_TIMEOUT} for {@code readiness.drain.timeout}).
     */
    static SettingsSource of(Config config) {
        Objects.requireNonNull(config, "config");
        return key -> {
            ConfigValue v = config.getConfigValue(key);
            return Optional.ofNullable(v == null ? null : v.getValue());
        };
    }

    /** The system properties and environment variables, with {@code microprofile-config.properties}. */
    static SettingsSource defaults() {
        return of(ReadinessConfig.defaults());
    }
}
