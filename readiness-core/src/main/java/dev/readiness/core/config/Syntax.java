package dev.readiness.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How the text of one setting is read and written back, the same for every front end (system properties,
 * environment variables, SmallRye Config, Spring Boot). There is one duration syntax ({@link #DURATION}) and one
 * boolean syntax ({@link #BOOLEAN}); see {@code src/docs/settings.md}.
 *
 * @param <T> the value's type
 */
public interface Syntax<T> {

    /**
     * @throws IllegalArgumentException when {@code text} is not written in this syntax
     */
    T parse(String text);

    /** The value as an operator would write it. */
    String format(T value);

    /** The Java type of the value, as IDE metadata names it ({@code java.time.Duration}). */
    String typeName();

    /** How a value is written, for errors about text that is not: {@code a duration such as 5s}. */
    default String hint() {
        return "a " + typeName();
    }

    /**
     * {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} (also {@code ns} and {@code us}), or ISO-8601
     * {@code PT5S}. A bare number is refused: {@code 5} could mean seconds or milliseconds.
     */
    Syntax<Duration> DURATION = new Syntax<>() {
        @Override
        public Duration parse(String text) {
            Duration d = DurationConverter.parse(text);
            if (d == null) {
                throw new IllegalArgumentException("empty");
            }
            return d;
        }

        @Override
        public String format(Duration d) {
            return Syntax.formatDuration(d);
        }

        @Override
        public String typeName() {
            return "java.time.Duration";
        }

        @Override
        public String hint() {
            return "written as 250ms, 5s, 2m, 1h, 1d or PT5S (a bare number has no unit and is refused)";
        }
    };

    /**
     * {@code true} or {@code false}, also {@code yes/no}, {@code on/off} and {@code 1/0}, in any case; any other
     * word is refused rather than read as {@code false}.
     */
    Syntax<Boolean> BOOLEAN = new Syntax<>() {
        @Override
        public Boolean parse(String text) {
            Boolean b = new BooleanConverter().convert(text);
            if (b == null) {
                throw new IllegalArgumentException("empty");
            }
            return b;
        }

        @Override
        public String format(Boolean value) {
            return value.toString();
        }

        @Override
        public String typeName() {
            return "java.lang.Boolean";
        }

        @Override
        public String hint() {
            return "written as true or false (also yes/no, on/off, 1/0)";
        }
    };

    /** A decimal integer ({@code -2147483648..2147483647}), surrounding blanks ignored. */
    /** An optional sign and ASCII digits: what {@link #INTEGER} and {@link #LONG} read, once trimmed. */
    java.util.regex.Pattern WHOLE_NUMBER = java.util.regex.Pattern.compile("[+-]?[0-9]{1,30}");

    Syntax<Integer> INTEGER = new Syntax<>() {
        @Override
        public Integer parse(String text) {
            String digits = text.trim();
            if (!WHOLE_NUMBER.matcher(digits).matches()) { // Java would also read other scripts' digits
                throw new IllegalArgumentException("not a whole number in ASCII digits");
            }
            try {
                return Integer.valueOf(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number", e);
            }
        }

        @Override
        public String format(Integer value) {
            return value.toString();
        }

        @Override
        public String typeName() {
            return "java.lang.Integer";
        }

        @Override
        public String hint() {
            return "written as a whole number";
        }
    };

    /** A decimal long integer, surrounding blanks ignored. */
    Syntax<Long> LONG = new Syntax<>() {
        @Override
        public Long parse(String text) {
            String digits = text.trim();
            if (!WHOLE_NUMBER.matcher(digits).matches()) { // Java would also read other scripts' digits
                throw new IllegalArgumentException("not a whole number in ASCII digits");
            }
            try {
                return Long.valueOf(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number", e);
            }
        }

        @Override
        public String format(Long value) {
            return value.toString();
        }

        @Override
        public String typeName() {
            return "java.lang.Long";
        }

        @Override
        public String hint() {
            return "written as a whole number";
        }
    };

    /** Text as written, surrounding blanks removed. */
    Syntax<String> TEXT = new Syntax<>() {
        @Override
        public String parse(String text) {
            return text.trim();
        }

        @Override
        public String format(String value) {
            return value;
        }

        @Override
        public String typeName() {
            return "java.lang.String";
        }

        @Override
        public String hint() {
            return "written as text";
        }
    };

    /** A file system path, surrounding blanks removed; empty text is refused. */
    Syntax<java.nio.file.Path> PATH = new Syntax<>() {
        @Override
        public java.nio.file.Path parse(String text) {
            String t = text.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            try {
                return java.nio.file.Path.of(t);
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(e.getReason(), e);
            }
        }

        @Override
        public String format(java.nio.file.Path value) {
            return value.toString();
        }

        @Override
        public String typeName() {
            return "java.lang.String";
        }

        @Override
        public String hint() {
            return "written as a file system path";
        }
    };

    /** A comma-separated list of {@code element}s ({@code 8080,8443}); an empty text is an empty list. */
    static <E> Syntax<List<E>> listOf(Syntax<E> element) {
        return new Syntax<>() {
            @Override
            public List<E> parse(String text) {
                List<E> out = new ArrayList<>();
                for (String part : text.split(",", -1)) {
                    if (part.isBlank()) {
                        if (text.isBlank()) {
                            break;
                        }
                        throw new IllegalArgumentException("an empty element");
                    }
                    out.add(element.parse(part));
                }
                return Collections.unmodifiableList(out);
            }

            @Override
            public String format(List<E> value) {
                StringBuilder b = new StringBuilder();
                for (E e : value) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(element.format(e));
                }
                return b.toString();
            }

            @Override
            public String typeName() {
                return "java.util.List<" + element.typeName() + ">";
            }
        };
    }

    /**
     * One of {@code type}'s constants, written in any case ({@code mirror}, {@code MIRROR}) and shown in lower
     * case; the Spring metadata types it as a string so every front end reads the same text.
     */
    static <E extends Enum<E>> Syntax<E> choice(Class<E> type) {
        E[] constants = type.getEnumConstants();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < constants.length; i++) {
            names.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ").append(lower(constants[i].name()));
        }
        String allowed = "not " + names;
        return of("java.lang.String", text -> {
            String t = text.strip();
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(t)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(allowed);
        }, e -> lower(e.name()));
    }

    /**
     * A syntax of its own: {@code parse} throws {@link IllegalArgumentException} for text it refuses.
     */
    static <T> Syntax<T> of(String typeName, Function<String, T> parse, Function<T, String> format) {
        return new Syntax<>() {
            @Override
            public T parse(String text) {
                return parse.apply(text);
            }

            @Override
            public String format(T value) {
                return format.apply(value);
            }

            @Override
            public String typeName() {
                return typeName;
            }
        };
    }

    /**
     * {@code 5s}, {@code 250ms}, {@code 1m}, {@code 1h}: the largest whole unit; ISO-8601 ({@code PT16M40.000000001S})
     * when that unit needs more digits than {@link #DURATION} reads, so what is written always reads back.
     */
    static String formatDuration(Duration d) {
        String s = largestUnit(d);
        if (s.startsWith("P") || s.startsWith("-P")) {
            return s;
        }
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                digits++;
            }
        }
        return digits <= 12 ? s : d.toString(); // DurationConverter reads at most 12 digits before the unit
    }

    private static String largestUnit(Duration d) {
        long secs = d.getSeconds();
        int nanos = d.getNano();
        if (nanos == 0 && !d.isNegative()) {
            if (secs != 0 && secs % 86_400 == 0) {
                return secs / 86_400 + "d";
            }
            if (secs != 0 && secs % 3_600 == 0) {
                return secs / 3_600 + "h";
            }
            if (secs != 0 && secs % 60 == 0) {
                return secs / 60 + "m";
            }
            return secs + "s";
        }
        try {
            if (nanos % 1_000_000 == 0) {
                long ms = d.toMillis();
                return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
            }
            return d.toNanos() + "ns";
        } catch (ArithmeticException e) {
            return d.toString();
        }
    }

    /** Lower case, for enum-like values. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
