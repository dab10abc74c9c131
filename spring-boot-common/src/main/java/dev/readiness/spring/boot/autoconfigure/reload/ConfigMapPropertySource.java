package dev.readiness.spring.boot.autoconfigure.reload;

import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigSnapshot;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

/**
 * The watched ConfigMap directory as a Spring {@link PropertySource} named {@value #NAME}: every lookup reads the
 * snapshot in force, one generation, swapped whole by the {@link ConfigMapWatcher}. Placed right after the
 * system environment: above {@code application.properties}, below environment variables and system properties,
 * as the ConfigMap source of readiness-core sits between them (ordinal 250), so an operator's override still wins.
 */
public final class ConfigMapPropertySource extends EnumerablePropertySource<ConfigMapWatcher> {

    /** The property source's name. */
    public static final String NAME = "readinessConfigMap";

    private final ConfigMapRebinder rebinder;
    private volatile Map<String, String> values = Map.of();

    private ConfigMapPropertySource(ConfigMapWatcher watcher, ConfigMapRebinder rebinder) {
        super(NAME, watcher);
        this.rebinder = rebinder;
    }

    /**
     * Where each Spring Boot generation's environment post-processor runs: after Boot's config data ({@code
     * ConfigDataEnvironmentPostProcessor}, highest precedence + 10), so application.properties can name the
     * directory.
     */
    public static final int POST_PROCESSOR_ORDER = org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 20;

    /**
     * What each generation's environment post-processor does: {@link #install} unless {@code readiness.enabled}
     * is false.
     */
    public static void installUnlessDisabled(ConfigurableEnvironment environment) {
        if (Boolean.parseBoolean(environment.getProperty("readiness.enabled", "true"))) {
            install(environment);
        }
    }

    /**
     * Adds the source to {@code environment} and starts watching, when {@code readiness.config.dir} is set and
     * {@code readiness.config.enabled} is not false; does nothing when the source is there already.
     *
     * @return the source, or {@code null} when nothing is watched
     * @throws dev.readiness.core.config.ReadinessConfigException on a bad {@code readiness.config.*} value, or
     *                                                            when the directory cannot be loaded at start
     */
    public static ConfigMapPropertySource install(ConfigurableEnvironment environment) {
        PropertySource<?> existing = environment.getPropertySources().get(NAME);
        if (existing instanceof ConfigMapPropertySource source) {
            return source;
        }
        ReadinessProperties.Config flags = Binder.get(environment)
                .bindOrCreate(ReadinessProperties.PREFIX + ".config", ReadinessProperties.Config.class);
        ReadinessSettings settings = ReadinessSettings.of(environment);
        if (!flags.isEnabled() || settings.text(ConfigMapWatcher.DIR.name()).map(String::isBlank).orElse(true)) {
            return null;
        }
        ConfigMapRebinder rebinder = new ConfigMapRebinder(environment);
        ConfigMapPropertySource[] self = new ConfigMapPropertySource[1];
        ConfigMapWatcher watcher = settings.config()
                .validator(rebinder::prepare)
                .listener(change -> {
                    self[0].values = change.current().values();
                    rebinder.apply(change);
                })
                .build();
        self[0] = new ConfigMapPropertySource(watcher, rebinder);
        // before the first load, so the first snapshot lands in the source
        MutablePropertySources sources = environment.getPropertySources();
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, self[0]);
        } else {
            sources.addFirst(self[0]);
        }
        try {
            watcher.start();
        } catch (RuntimeException e) {
            sources.remove(NAME);
            throw e;
        }
        return self[0];
    }

    /** The watcher behind this source. */
    public ConfigMapWatcher watcher() {
        return getSource();
    }

    ConfigMapRebinder rebinder() {
        return rebinder;
    }

    /** The snapshot in force. */
    public ConfigSnapshot snapshot() {
        return getSource().current();
    }

    @Override
    public String[] getPropertyNames() {
        return values.keySet().toArray(String[]::new);
    }

    @Override
    public Object getProperty(String name) {
        return values.get(name);
    }

    @Override
    public boolean containsProperty(String name) {
        return values.containsKey(name);
    }
}
