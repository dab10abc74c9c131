package dev.readiness.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One setting: its full key ({@code readiness.drain.timeout}), the {@link Syntax} its text is read with, its
 * default, the rule a value must follow with the words that say so, and what it means. A feature's builder
 * declares its keys and checks every value with {@link #check}, so the default and the rule live in one place,
 * whatever front end supplied the value; {@link Keys} applies text from a {@link SettingsSource} to the
 * builder, and the settings table in the docs and the IDE metadata of the Spring Boot starter are generated
 * from the same keys.
 * <p>
 * Immutable: every {@code with} method returns a new key.
 *
 * @param <T> the value's type
 */
public final class Key<T> {

    private final String name;
    private final Syntax<T> syntax;
    private final T defaultValue;
    private final String defaultText;
    private final Predicate<? super T> rule;
    private final String allowed;
    private final String meaning;
    private final UnaryOperator<String> shown;

    private Key(String name, Syntax<T> syntax, T defaultValue, String defaultText, Predicate<? super T> rule,
            String allowed, String meaning) {
        this(name, syntax, defaultValue, defaultText, rule, allowed, meaning, t -> t);
    }

    private Key(String name, Syntax<T> syntax, T defaultValue, String defaultText, Predicate<? super T> rule,
            String allowed, String meaning, UnaryOperator<String> shown) {
        this.shown = shown;
        this.name = name;
        this.syntax = syntax;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.rule = rule;
        this.allowed = allowed;
        this.meaning = meaning;
    }

    /** A key read with {@code syntax}; no default, any value allowed until {@link #allowed} says otherwise. */
    public static <T> Key<T> of(String name, Syntax<T> syntax) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith(ReadinessConfig.PREFIX + ".") || !name.equals(name.toLowerCase(java.util.Locale.ROOT))
                || name.contains(" ")) {
            throw new IllegalArgumentException("a key is readiness.<feature>.<kebab-case-name>: " + name);
        }
        return new Key<>(name, Objects.requireNonNull(syntax, "syntax"), null, null, v -> true,
                "must be " + syntax.hint().replaceFirst("^written as ", ""), "");
    }

    public static Key<Duration> duration(String name) {
        return of(name, Syntax.DURATION);
    }

    public static Key<Boolean> flag(String name) {
        return of(name, Syntax.BOOLEAN).allowed("must be true or false", v -> true);
    }

    public static Key<Integer> integer(String name) {
        return of(name, Syntax.INTEGER);
    }

    public static Key<String> text(String name) {
        return of(name, Syntax.TEXT);
    }

    /** This key with a default value, documented as the syntax writes it. */
    public Key<T> defaultsTo(T value) {
        Objects.requireNonNull(value, "value");
        return new Key<>(name, syntax, value, syntax.format(value), rule, allowed, meaning, shown);
    }

    /** This key with no default value, and {@code text} saying what happens when it is not set. */
    public Key<T> unsetMeans(String text) {
        return new Key<>(name, syntax, null, Objects.requireNonNull(text, "text"), rule, allowed, meaning, shown);
    }

    /**
     * This key with a rule, and the words an error and the docs use for it, starting with "must"
     * ({@code must be between 0s and 1h}).
     */
    public Key<T> allowed(String allowed, Predicate<? super T> rule) {
        return new Key<>(name, syntax, defaultValue, defaultText, Objects.requireNonNull(rule, "rule"),
                Objects.requireNonNull(allowed, "allowed"), meaning, shown);
    }

    /** A duration key allowed from {@code min} to {@code max}, both included. */
    @SuppressWarnings("unchecked")
    public Key<T> between(Duration min, Duration max) {
        Key<Duration> self = (Key<Duration>) this;
        return (Key<T>) self.allowed("must be between " + Syntax.formatDuration(min) + " and " + Syntax.formatDuration(max),
                d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
    }

    /** A duration key above zero and at most {@code max}. */
    @SuppressWarnings("unchecked")
    public Key<T> positiveUpTo(Duration max) {
        Key<Duration> self = (Key<Duration>) this;
        return (Key<T>) self.allowed("must be a positive duration of at most " + Syntax.formatDuration(max),
                d -> !d.isNegative() && !d.isZero() && d.compareTo(max) <= 0);
    }

    /** An integer key from {@code min} to {@code max}, both included. */
    @SuppressWarnings("unchecked")
    public Key<T> range(int min, int max) {
        Key<Integer> self = (Key<Integer>) this;
        return (Key<T>) self.allowed("must be " + min + ".." + max, v -> v >= min && v <= max);
    }

    /** This key with its meaning, one sentence for the docs and the IDE. */
    public Key<T> means(String meaning) {
        return new Key<>(name, syntax, defaultValue, defaultText, rule, allowed,
                Objects.requireNonNull(meaning, "meaning"), shown);
    }

    /**
     * This key with values shown in errors through {@code shown}: a secret ({@code t -> "***"}), or a URI without
     * its password.
     */
    public Key<T> shownAs(UnaryOperator<String> shown) {
        return new Key<>(name, syntax, defaultValue, defaultText, rule, allowed, meaning,
                Objects.requireNonNull(shown, "shown"));
    }

    /** {@code text} as errors may show it: blank as {@code (empty)}, a secret hidden. */
    public String show(String text) {
        return text == null || text.isBlank() ? "(empty)" : shown.apply(text);
    }

    /**
     * Returns {@code value} when the rule allows it.
     *
     * @throws ReadinessConfigException naming this key, the value and what is allowed; also for {@code null}
     */
    public T check(T value) {
        if (value == null) {
            throw new ReadinessConfigException(name, "(empty)", allowed);
        }
        boolean ok;
        try {
            ok = rule.test(value);
        } catch (RuntimeException e) {
            throw new ReadinessConfigException(name, show(syntax.format(value)), allowed, e);
        }
        if (!ok) {
            throw new ReadinessConfigException(name, show(syntax.format(value)), allowed);
        }
        return value;
    }

    /**
     * Reads {@code text} with this key's syntax and checks it.
     *
     * @throws ReadinessConfigException naming this key, the text as given and what is allowed
     */
    public T parse(String text) {
        Objects.requireNonNull(text, "text");
        String shown = show(text);
        T value;
        try {
            value = syntax.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ReadinessConfigException(name, shown, allowed + "; " + syntax.hint(), e);
        }
        try {
            return check(value);
        } catch (ReadinessConfigException e) {
            throw new ReadinessConfigException(name, shown, allowed, e);
        }
    }

    /** The full key, {@code readiness.drain.timeout}. */
    public String name() {
        return name;
    }

    public Syntax<T> syntax() {
        return syntax;
    }

    /** The default value, or {@code null} when the key has none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as an operator writes it, or what not setting the key means; empty when neither is said. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    /** What the key allows, in the words errors use. */
    public String allowed() {
        return allowed;
    }

    /** What the key means. */
    public String meaning() {
        return meaning;
    }

    @Override
    public String toString() {
        return name;
    }
}
