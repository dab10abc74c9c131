package dev.readiness.core.reload;

import dev.readiness.core.config.DurationConverter;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.NoSuchElementException;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A SmallRye {@code @ConfigMapping} interface mapped from the watched configuration and rebuilt on every reload.
 * The mapping is built from the candidate before the swap: a value it cannot convert, or a required key that is
 * missing, rejects the whole reload. The new object is swapped in with the snapshot, in the same write, so
 * {@link #get()} and {@link ConfigMapWatcher#current()} always agree.
 * <pre>
 * ReloadableMapping&lt;AppConfig&gt; app = ReloadableMapping.of(AppConfig.class);
 * ConfigMapWatcher w = ConfigMapWatcher.builder().directory(dir).mapping(app).build().start();
 * app.get().greeting();
 * </pre>
 * The mapping sees only the keys of the watched directory, with readiness' converters (durations such as
 * {@code 5s}).
 */
public final class ReloadableMapping<T> implements Supplier<T> {

    private final Class<T> type;
    private final AtomicReference<ConfigMapWatcher> owner = new AtomicReference<>();

    private ReloadableMapping(Class<T> type) {
        this.type = type;
    }

    /**
     * @throws IllegalArgumentException when {@code type} is not a {@code @ConfigMapping} interface
     */
    public static <T> ReloadableMapping<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isInterface() || !type.isAnnotationPresent(ConfigMapping.class)) {
            throw new IllegalArgumentException(type.getName() + " is not an interface annotated @ConfigMapping");
        }
        return new ReloadableMapping<>(type);
    }

    /** The mapping interface. */
    public Class<T> type() {
        return type;
    }

    /**
     * The mapping of the configuration in force.
     *
     * @throws IllegalStateException before the watcher it was added to has started
     */
    @Override
    public T get() {
        ConfigMapWatcher w = owner.get();
        Object o = w == null ? null : w.current().attachment(this);
        if (o == null) {
            throw new IllegalStateException(type.getName() + " is not loaded: add this mapping to a"
                    + " ConfigMapWatcher and start it");
        }
        return type.cast(o);
    }

    void bind(ConfigMapWatcher watcher) {
        if (!owner.compareAndSet(null, watcher) && owner.get() != watcher) {
            throw new IllegalStateException(type.getName() + " mapping already belongs to the watcher of "
                    + owner.get().directory());
        }
    }

    /**
     * Keys the mapping does not know are ignored: a ConfigMap holds other keys under the same prefix (the
     * {@code app.properties} file key itself, for one).
     *
     * @throws ReadinessConfigException naming the keys that do not map
     */
    T build(Map<String, String> values) {
        PropertiesConfigSource source = new PropertiesConfigSource(values, "ConfigMap candidate", 100);
        try {
            return new SmallRyeConfigBuilder().withSources(source)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withMapping(type).withValidateUnknown(false).build().getConfigMapping(type);
        } catch (ConfigValidationException e) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < e.getProblemCount(); i++) {
                b.append(i == 0 ? "" : "; ").append(e.getProblem(i).getMessage());
            }
            throw new ReadinessConfigException(b.toString(), e);
        } catch (NoSuchElementException | IllegalArgumentException e) {
            throw new ReadinessConfigException(e.getMessage(), e);
        }
    }
}
