package dev.readiness.core.reload;

/**
 * Sees the complete candidate snapshot before it is swapped in, and rejects it by throwing. A rejected reload
 * keeps the last good configuration; the exception's message is the reason that is logged, counted and kept in
 * {@link ConfigMapWatcher#lastOutcome()}. Validators run in registration order on the reload thread; the first
 * that throws ends the reload. A framework can prepare everything it needs to rebind in a validator (building
 * new objects, never touching live ones) and apply it in a {@link ConfigChangeListener}.
 */
@FunctionalInterface
public interface ConfigValidator {

    /**
     * @param candidate the snapshot that will be swapped in if every validator accepts it
     * @throws Exception to reject it; the message should name the key and what is allowed
     */
    void validate(ConfigSnapshot candidate) throws Exception;
}
