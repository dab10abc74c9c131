package dev.readiness.core.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations the way operators write them: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d},
 * or ISO-8601 ({@code PT5S}). A bare number is refused: {@code 5} could mean seconds or milliseconds.
 */
public final class DurationConverter implements Converter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(-?\\d{1,12})(ns|us|ms|s|m|h|d)");
    public static final String ALLOWED = "a duration such as 250ms, 5s, 2m, 1h or PT5S";

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * @throws IllegalArgumentException with what is allowed, for anything else
     */
    public static Duration parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no value; expected " + ALLOWED);
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null; // MicroProfile: an empty value means "not set"
        }
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ns" -> Duration.ofNanos(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (v.startsWith("p") || v.startsWith("-p")) {
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not " + ALLOWED, e);
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not " + ALLOWED);
    }
}
