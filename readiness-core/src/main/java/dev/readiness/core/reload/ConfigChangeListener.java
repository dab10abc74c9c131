package dev.readiness.core.reload;

/**
 * Told of a configuration change after the new snapshot is in force. Listeners run in registration order on the
 * reload thread, one reload at a time. A listener that throws is logged and counted; the others still run and
 * the new configuration stays. The load at start is a change too (every key added, from the empty generation 0),
 * so a listener can initialise from it.
 */
@FunctionalInterface
public interface ConfigChangeListener {

    /** @param change the keys that were added, changed or removed, with both snapshots */
    void onChange(ConfigChange change) throws Exception;
}
