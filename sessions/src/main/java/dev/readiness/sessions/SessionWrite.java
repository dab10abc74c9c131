package dev.readiness.sessions;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One atomic change to a stored session: the attributes set, the attributes removed and the new expiry, in
 * one round trip.
 *
 * @param id           session id
 * @param base         the session as this request loaded it, or {@code null} for a session created now
 * @param creationTime epoch millis of creation (used when {@code base} is {@code null})
 * @param maxInactive  idle time until expiry, counted from now
 * @param changed      attributes to write (new values)
 * @param removed      attributes to delete
 */
public record SessionWrite(String id, StoredSession base, long creationTime, Duration maxInactive,
                           Map<String, Object> changed, Set<String> removed) {

    public SessionWrite {
        changed = Map.copyOf(changed);
        removed = Set.copyOf(removed);
    }

    /** Whether the session is created by this write. */
    public boolean creates() {
        return base == null;
    }
}
