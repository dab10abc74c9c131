package dev.readiness.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The keys of one feature's settings and how each reaches the feature's builder: the one binding every front
 * end goes through. {@link #apply} reads the text a {@link SettingsSource} has for each key with the key's
 * syntax and passes the value to the builder's setter; the builder checks it. An error names the full key and
 * the value as the operator wrote it ({@code -5s}, not {@code PT-5S}), whichever front end supplied it.
 *
 * @param <B> the feature's builder
 * @param <S> the feature's settings, what the builder builds
 */
public final class Keys<B, S> {

    private final String feature;
    private final String prefix;
    private final Supplier<B> builder;
    private final Function<B, S> build;
    private final Map<String, Binding<B, ?>> bindings;

    private Keys(String feature, String prefix, Supplier<B> builder, Function<B, S> build,
            Map<String, Binding<B, ?>> bindings) {
        this.feature = feature;
        this.prefix = prefix;
        this.builder = builder;
        this.build = build;
        this.bindings = bindings;
    }

    /**
     * The keys of {@code feature} ({@code drain}), all under {@code prefix} ({@code readiness.drain}), applied to
     * builders from {@code builder} and built with {@code build}.
     */
    public static <B, S> Keys<B, S> of(String feature, String prefix, Supplier<B> builder, Function<B, S> build) {
        return new Keys<>(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(prefix, "prefix"),
                Objects.requireNonNull(builder, "builder"), Objects.requireNonNull(build, "build"),
                new LinkedHashMap<>());
    }

    /** These keys and {@code key}, which {@code setter} copies onto the builder. */
    public <T> Keys<B, S> key(Key<T> key, BiConsumer<B, T> setter) {
        if (!key.name().startsWith(prefix + ".")) {
            throw new IllegalArgumentException(key.name() + " is not under " + prefix);
        }
        if (key.meaning().isEmpty()) {
            throw new IllegalArgumentException(key.name() + " has no meaning: say what it does with means(...)");
        }
        Map<String, Binding<B, ?>> copy = new LinkedHashMap<>(bindings);
        if (copy.put(key.name(), new Binding<>(key, setter)) != null) {
            throw new IllegalArgumentException(key.name() + " is bound twice");
        }
        return new Keys<>(feature, prefix, builder, build, copy);
    }

    /**
     * Copies every key {@code source} has onto {@code builder}.
     *
     * @throws ReadinessConfigException naming the first key whose text cannot be read or is not allowed
     */
    public B apply(SettingsSource source, B builder) {
        for (Binding<B, ?> b : bindings.values()) {
            Optional<String> text = source.text(b.key.name());
            // An empty value is no value, the MicroProfile rule and Spring Boot's: the default applies.
            if (text.isPresent() && !text.get().isBlank()) {
                b.apply(builder, text.get());
            }
        }
        return builder;
    }

    /**
     * A new builder with every key {@code source} has; the caller may set more before building.
     *
     * @throws ReadinessConfigException naming the first key whose text cannot be read or is not allowed
     */
    public B builder(SettingsSource source) {
        return apply(source, builder.get());
    }

    /**
     * The settings {@code source} gives, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public S read(SettingsSource source) {
        return build(source, builder(source));
    }

    /**
     * Builds {@code b}; a rule that spans keys, checked when building, names the value as {@code source} wrote
     * it.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public S build(SettingsSource source, B b) {
        try {
            return build.apply(b);
        } catch (ReadinessConfigException e) {
            throw asWritten(source, e);
        }
    }

    private ReadinessConfigException asWritten(SettingsSource source, ReadinessConfigException e) {
        if (e.key() == null || !bindings.containsKey(e.key())) {
            return e;
        }
        Optional<String> written = source.text(e.key());
        if (written.isEmpty() || written.get().isBlank()) {
            return e;
        }
        String shown = bindings.get(e.key()).key.show(written.get());
        return shown.equals(e.value()) ? e : new ReadinessConfigException(e.key(), shown, e.allowed(), e);
    }

    /** The feature's name, {@code drain}. */
    public String feature() {
        return feature;
    }

    /** The prefix of every key, {@code readiness.drain}. */
    public String prefix() {
        return prefix;
    }

    /** The keys, in the order they were declared. */
    public List<Key<?>> keys() {
        List<Key<?>> out = new ArrayList<>();
        bindings.values().forEach(b -> out.add(b.key));
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return prefix + ".* " + bindings.keySet();
    }

    private record Binding<B, T>(Key<T> key, BiConsumer<B, T> setter) {
        void apply(B builder, String text) {
            T value = key.parse(text);
            try {
                setter.accept(builder, value);
            } catch (ReadinessConfigException e) {
                if (key.name().equals(e.key()) && !key.show(text).equals(e.value())) {
                    throw new ReadinessConfigException(e.key(), key.show(text), e.allowed(), e);
                }
                throw e;
            }
        }
    }
}
