package dev.readiness.core.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one evaluation of a check found. Immutable.
 *
 * @param status  UP or DOWN (a check never reports UNKNOWN itself)
 * @param message short human-readable reason, may be empty, never {@code null}
 * @param details small key/value facts shown in verbose probe output (numbers, strings, booleans)
 */
public record CheckResult(Status status, String message, Map<String, Object> details) {

    private static final CheckResult UP = new CheckResult(Status.UP, "", Map.of());

    public CheckResult {
        Objects.requireNonNull(status, "status");
        if (status == Status.UNKNOWN) {
            throw new IllegalArgumentException("a check result is UP or DOWN; UNKNOWN is reserved for checks that have not run");
        }
        message = message == null ? "" : message;
        details = details == null || details.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static CheckResult up() {
        return UP;
    }

    public static CheckResult up(String message) {
        return new CheckResult(Status.UP, message, Map.of());
    }

    public static CheckResult down(String message) {
        return new CheckResult(Status.DOWN, message, Map.of());
    }

    /** A DOWN result whose message names the exception type and its message. */
    public static CheckResult down(Throwable error) {
        return down(describe(error));
    }

    /** UP when {@code condition} holds, otherwise DOWN with {@code messageWhenDown}. */
    public static CheckResult of(boolean condition, String messageWhenDown) {
        return condition ? UP : down(messageWhenDown);
    }

    /** A copy with one more detail. */
    public CheckResult withDetail(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new CheckResult(status, message, copy);
    }

    public boolean isUp() {
        return status == Status.UP;
    }

    static String describe(Throwable error) {
        if (error == null) {
            return "failed";
        }
        String text = error.getMessage();
        String type = error.getClass().getSimpleName();
        return text == null || text.isBlank() ? type : type + ": " + text;
    }
}
