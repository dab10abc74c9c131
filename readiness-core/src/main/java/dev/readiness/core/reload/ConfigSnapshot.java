package dev.readiness.core.reload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One generation of configuration, read whole from one {@code ..data} directory. Immutable: a reload builds a
 * new snapshot and swaps it in, so a reader that holds a snapshot never sees keys of two generations.
 */
public final class ConfigSnapshot {

    private final long generation;
    private final Map<String, String> values;
    private final Path source;
    private final Instant loadedAt;
    // objects built from this snapshot (reloadable mappings), swapped in with it in one write
    private final Map<Object, Object> attachments;

    ConfigSnapshot(long generation, Map<String, String> values, Path source, Instant loadedAt,
                   Map<Object, Object> attachments) {
        this.generation = generation;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.source = Objects.requireNonNull(source, "source");
        this.loadedAt = Objects.requireNonNull(loadedAt, "loadedAt");
        this.attachments = Collections.unmodifiableMap(new IdentityHashMap<>(attachments));
    }

    /** The empty snapshot of generation 0, before anything was read. */
    static ConfigSnapshot empty(Path dir, Instant at) {
        return new ConfigSnapshot(0, Map.of(), dir, at, Map.of());
    }

    /** 1 for the configuration read at start, then one more for each reload that changed a value. */
    public long generation() {
        return generation;
    }

    /** Every key and its value, sorted by key, unmodifiable. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of {@code key}, if this generation has it. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * The directory the values were read from: the {@code ..<timestamp>.<random>} generation directory of a
     * kubelet-managed volume (gone once the kubelet writes the next one), or the watched directory itself.
     */
    public Path source() {
        return source;
    }

    /** When this snapshot was swapped in. */
    public Instant loadedAt() {
        return loadedAt;
    }

    Object attachment(Object owner) {
        return attachments.get(owner);
    }

    @Override
    public String toString() {
        // keys only: values may be secrets
        return "ConfigSnapshot[generation=" + generation + ", source=" + source + ", keys=" + values.keySet() + "]";
    }
}
