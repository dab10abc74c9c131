package dev.readiness.sessions;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A session as loaded from the store. Immutable.
 *
 * @param id             the session id
 * @param creationTime   epoch millis of creation
 * @param lastAccessTime epoch millis of the last save or refresh (precision: the refresh threshold)
 * @param maxInactive    idle time after which the store forgets the session
 * @param attributes     decoded attributes; those that failed to decode are absent
 * @param sizes          encoded size in bytes of each stored attribute (including undecodable ones)
 * @param undecodable    attributes that were stored but could not be decoded (removed at the next save)
 * @param cached         whether it came from the store's near cache (no round trip) rather than from Redis
 * @param version        raised by one by every save; 0 for a session an earlier release wrote, or unreadable
 * @param encoded        the stored bytes of each decoded attribute, to tell a value changed in place from one
 *                       left alone ({@code readiness.sessions.save-mode=changed}); may lack entries, never holds
 *                       more than {@code attributes}. The arrays must not be changed.
 */
public record StoredSession(String id, long creationTime, long lastAccessTime, Duration maxInactive,
                            Map<String, Object> attributes, Map<String, Integer> sizes, Set<String> undecodable,
                            boolean cached, long version, Map<String, byte[]> encoded) {

    /** A session loaded from the store itself, without version or stored bytes. */
    public StoredSession(String id, long creationTime, long lastAccessTime, Duration maxInactive,
                         Map<String, Object> attributes, Map<String, Integer> sizes, Set<String> undecodable) {
        this(id, creationTime, lastAccessTime, maxInactive, attributes, sizes, undecodable, false, 0, Map.of());
    }

    public StoredSession {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        sizes = Map.copyOf(sizes);
        undecodable = Set.copyOf(undecodable);
        encoded = Map.copyOf(encoded);
    }

    /** Bytes an attribute's name counts against max-size: its UTF-8 length, as Redis stores it. */
    public static int nameBytes(String name) {
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Total encoded size of the attributes' values in bytes (names not counted). */
    public int size() {
        int total = 0;
        for (int s : sizes.values()) {
            total += s;
        }
        return total;
    }
}
