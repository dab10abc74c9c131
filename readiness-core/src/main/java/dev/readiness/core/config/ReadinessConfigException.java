package dev.readiness.core.config;

/**
 * A configuration value that cannot be used, found at start (or at a reload). The message names the key,
 * the value and what is allowed, e.g. {@code readiness.management.port=70000 is invalid: must be 0..65535}.
 */
public class ReadinessConfigException extends IllegalArgumentException {

    private final String key;
    private final String value;
    private final String allowed;

    public ReadinessConfigException(String key, Object value, String allowed) {
        this(key, value, allowed, null);
    }

    public ReadinessConfigException(String key, Object value, String allowed, Throwable cause) {
        super(key + "=" + value + " is invalid: " + allowed, cause);
        this.key = key;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    /** A problem that is not about one key (several problems at once, for example). */
    public ReadinessConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
        this.value = null;
        this.allowed = null;
    }

    /** The offending key, or {@code null} when the problem spans several keys. */
    public String key() {
        return key;
    }

    /** The offending value as text, or {@code null}. */
    public String value() {
        return value;
    }

    /** What the key allows, or {@code null} when the problem spans several keys. */
    public String allowed() {
        return allowed;
    }

    /** Throws unless {@code ok}. */
    public static void require(boolean ok, String key, Object value, String allowed) {
        if (!ok) {
            throw new ReadinessConfigException(key, value, allowed);
        }
    }
}
