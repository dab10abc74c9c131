package dev.readiness.gc.budget;

/**
 * A setting the CLI cannot use, or a container too small for the JVM's non-heap regions. The message is meant
 * for the operator reading the container's log: it names the setting and the value, or shows the budget table.
 */
public class TuningException extends IllegalArgumentException {

    private final boolean doesNotFit;

    public TuningException(String message, boolean doesNotFit) {
        super(message);
        this.doesNotFit = doesNotFit;
    }

    /** A bad setting: names the environment variable, the value and what is allowed. */
    public static TuningException setting(String name, String value, String allowed) {
        return new TuningException(name + "=" + value + " is invalid: " + allowed, false);
    }

    /** {@code true} when the container's memory limit cannot hold the regions, {@code false} for a bad setting. */
    public boolean doesNotFit() {
        return doesNotFit;
    }
}
