package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.config.Key;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.core.reload.ConfigMapWatcher;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Spring Boot front end of readiness' settings: finds the text of each key in the Spring environment
 * (application properties and YAML, profiles, environment variables such as {@code READINESS_DRAIN_TIMEOUT},
 * relaxed names such as {@code propagationDelay}) and hands it to the feature's own builder, which alone knows
 * the defaults and the rules. A bad value fails the start with the error every front end gives: the full key,
 * the value as written and what is allowed.
 */
public final class ReadinessSettings implements SettingsSource {

    private final Binder binder;

    private ReadinessSettings(Binder binder) {
        this.binder = binder;
    }

    /** The settings of {@code environment}. */
    public static ReadinessSettings of(Environment environment) {
        return new ReadinessSettings(Binder.get(Objects.requireNonNull(environment, "environment")));
    }

    @Override
    public Optional<String> text(String key) {
        try {
            BindResult<String> text = binder.bind(key, Bindable.of(String.class));
            if (text.isBound()) {
                return Optional.of(text.get());
            }
            // A YAML list (ports: [8080, 8443]) binds as indexed keys, not as one text.
            BindResult<List<String>> list = binder.bind(key, Bindable.listOf(String.class));
            return list.isBound() ? Optional.of(String.join(",", list.get())) : Optional.empty();
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new ReadinessConfigException(key, "(unreadable)", "must be text the key's syntax reads: "
                    + cause.getMessage(), e);
        }
    }

    /**
     * A {@code readiness.*.enabled} flag: unset or blank is {@code ifMissing}, else the boolean syntax.
     *
     * @throws ReadinessConfigException naming the key when the value is not a boolean
     */
    public boolean flag(String key, boolean ifMissing) {
        return text(key).filter(t -> !t.isBlank()).map(Key.flag(key)::parse).orElse(ifMissing);
    }

    /** {@code readiness.checks.*}: the schedule of dependency checks registered without options. */
    public CheckOptions checks() {
        return CheckOptions.from(this);
    }

    /** {@code readiness.drain.*}. */
    public DrainSettings drain() {
        return DrainSettings.from(this);
    }

    /** {@code readiness.listen.*}. */
    public ListenQueueSettings listen() {
        return ListenQueueSettings.from(this);
    }

    /** {@code readiness.config.*}: a watcher builder; {@code readiness.config.dir} must be set. */
    public ConfigMapWatcher.Builder config() {
        return ConfigMapWatcher.builder(this);
    }

    /** Whether {@code key} has any value. */
    public boolean has(String key) {
        return text(key).isPresent();
    }
}
