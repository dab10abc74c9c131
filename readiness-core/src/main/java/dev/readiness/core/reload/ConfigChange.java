package dev.readiness.core.reload;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a successful reload changed. Key sets are sorted and unmodifiable.
 *
 * @param previous the snapshot that was replaced (generation 0 and empty for the first load)
 * @param current  the snapshot now in force
 * @param added    keys that {@code current} has and {@code previous} had not
 * @param changed  keys whose value differs
 * @param removed  keys that {@code previous} had and {@code current} has not
 */
public record ConfigChange(ConfigSnapshot previous, ConfigSnapshot current, Set<String> added,
                           Set<String> changed, Set<String> removed) {

    public ConfigChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        added = Collections.unmodifiableSet(new TreeSet<>(added));
        changed = Collections.unmodifiableSet(new TreeSet<>(changed));
        removed = Collections.unmodifiableSet(new TreeSet<>(removed));
    }

    /** The difference between two snapshots. */
    public static ConfigChange between(ConfigSnapshot previous, ConfigSnapshot current) {
        Map<String, String> before = previous.values();
        Map<String, String> after = current.values();
        Set<String> added = new TreeSet<>();
        Set<String> changed = new TreeSet<>();
        Set<String> removed = new TreeSet<>();
        after.forEach((k, v) -> {
            String old = before.get(k);
            if (old == null) {
                added.add(k);
            } else if (!old.equals(v)) {
                changed.add(k);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(removed::add);
        return new ConfigChange(previous, current, added, changed, removed);
    }

    /** Added, changed and removed keys together, sorted. */
    public Set<String> keys() {
        Set<String> all = new TreeSet<>(added);
        all.addAll(changed);
        all.addAll(removed);
        return Collections.unmodifiableSet(all);
    }

    /** True when {@code key} was added, changed or removed. */
    public boolean affects(String key) {
        return added.contains(key) || changed.contains(key) || removed.contains(key);
    }

    /** True when no key differs. */
    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
}
