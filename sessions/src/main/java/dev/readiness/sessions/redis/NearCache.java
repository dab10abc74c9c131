package dev.readiness.sessions.redis;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Sessions this instance read or wrote, as Redis holds them (the raw hash: field name to bytes), kept only while
 * Redis promises to say when they change. Redis's client tracking sends an {@code invalidate} push on the store's
 * own connection when any client changes or expires a key this connection read; the push comes in the same
 * stream as the replies, ahead of any reply to a command that runs after the change. A hit costs no round trip.
 * <p>
 * Each entry is guarded by a stripe counter, bumped by every invalidation and by every write of this instance.
 * A load that started before a bump does not store what it read (it may predate the change), and a write applies
 * its change to the cached state only if nothing else touched the stripe between its dispatch and its reply; in
 * every other case the entry is dropped and the next load goes to Redis. {@link #flush()} (disconnect, a command
 * failure, a flush push) drops everything and stops serving until tracking is confirmed again on the connection.
 * Sizes are bounded by {@code maxBytes}; over it, entries are dropped in the map's own (arbitrary) order.
 * <p>
 * Thread-safe. Callbacks from Lettuce's event loop ({@link #invalidated}, {@link #flush()}) never block.
 */
final class NearCache {

    /** Bytes counted for an entry beyond its fields and values (map nodes, arrays, the key). */
    private static final int ENTRY_OVERHEAD = 160;
    private static final int FIELD_OVERHEAD = 48;
    private static final int STRIPES = 4096;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final long maxBytes;
    private final Consumer<String> events;
    private volatile long trackingEpoch = -1;

    /**
     * @param maxBytes bound on the cached payload (keys, fields, values and an estimate of the overhead)
     * @param events   told {@code invalidation} and {@code flush} as they happen (for metrics)
     */
    NearCache(long maxBytes, Consumer<String> events) {
        this.maxBytes = maxBytes;
        this.events = events;
    }

    private record Entry(Map<String, byte[]> hash, int bytes) {
    }

    /**
     * What a command saw when it was dispatched: the connection epoch, whether tracking was confirmed on it, and
     * the stripe counter of its key.
     */
    record Ticket(long epoch, boolean tracked, int stripe, long seq) {
    }

    // ---- tracking state ----

    /** The current epoch; pass it to {@link #trackingConfirmed} for tracking enabled from now on. */
    long epoch() {
        return epoch.get();
    }

    /** Whether tracking is confirmed on the current connection: entries are served only then. */
    boolean tracking() {
        return trackingEpoch == epoch.get();
    }

    /**
     * Tracking (with NOLOOP) was confirmed by a command dispatched in {@code epochAtDispatch}; ignored if the
     * connection dropped since.
     */
    void trackingConfirmed(long epochAtDispatch) {
        if (epoch.get() == epochAtDispatch) {
            trackingEpoch = epochAtDispatch;
        }
    }

    /** Drops every entry and stops serving until tracking is confirmed again (disconnect, failure, flush). */
    void flush() {
        epoch.incrementAndGet();
        for (Iterator<String> it = entries.keySet().iterator(); it.hasNext(); ) {
            drop(it.next());
        }
        events.accept("flush");
    }

    /** An {@code invalidate} push for {@code key}: Redis says another client changed it, or it expired. */
    void invalidated(String key) {
        stripes.incrementAndGet(stripe(key));
        drop(key);
        events.accept("invalidation");
    }

    // ---- loads ----

    /** The cached hash of {@code key}, or null. The map must not be changed. */
    Map<String, byte[]> get(String key) {
        if (!tracking()) {
            return null;
        }
        Entry e = entries.get(key);
        return e == null ? null : e.hash();
    }

    /** Take before dispatching a load of {@code key}. */
    Ticket beforeLoad(String key) {
        int s = stripe(key);
        long ep = epoch.get();
        return new Ticket(ep, trackingEpoch == ep, s, stripes.get(s));
    }

    /** A load dispatched with {@code t} returned {@code hash}: kept if nothing changed meanwhile. */
    void loaded(Ticket t, String key, Map<String, byte[]> hash) {
        if (hash.isEmpty() || !unchangedSince(t, t.seq())) {
            return;
        }
        put(key, new Entry(hash, size(key, hash)));
        if (!unchangedSince(t, t.seq())) {
            drop(key);
        }
    }

    // ---- this instance's writes ----

    /** Take before dispatching a write of {@code key}: from now on, loads in flight will not store what they read. */
    Ticket beforeWrite(String key) {
        int s = stripe(key);
        long ep = epoch.get();
        return new Ticket(ep, trackingEpoch == ep, s, stripes.incrementAndGet(s));
    }

    /**
     * The write dispatched with {@code t} succeeded. Redis sends no push for this connection's own writes
     * (NOLOOP), so the cached state is brought up to date here: {@code created} (the session's complete state, for
     * a new session) replaces the entry; otherwise {@code removed} fields go and {@code set} fields are written into
     * the cached state, if there is one. When anything else touched the stripe between dispatch and reply, the
     * entry is dropped instead.
     */
    void written(Ticket t, String key, Map<String, byte[]> created, List<byte[]> removed, List<byte[]> set) {
        long now = stripes.incrementAndGet(t.stripe());
        if (now != t.seq() + 1 || !unchangedSince(t, now)) {
            drop(key);
            return;
        }
        if (created != null) {
            put(key, new Entry(created, size(key, created)));
        } else {
            Entry old = entries.get(key);
            if (old == null) {
                return;
            }
            Map<String, byte[]> next = new HashMap<>(old.hash());
            for (byte[] r : removed) {
                next.remove(field(r));
            }
            for (int i = 0; i + 1 < set.size(); i += 2) {
                next.put(field(set.get(i)), set.get(i + 1));
            }
            Entry updated = new Entry(next, size(key, next));
            if (!entries.replace(key, old, updated)) {
                drop(key); // a load stored something meanwhile; let the next load decide
            } else {
                bytes.addAndGet(updated.bytes() - old.bytes());
            }
        }
        if (!unchangedSince(t, now)) {
            drop(key);
        }
    }

    /** A write of {@code key} failed, was refused, or deleted or moved the session: forget it. */
    void forget(String key) {
        stripes.incrementAndGet(stripe(key));
        drop(key);
    }

    // ---- bookkeeping ----

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes.get();
    }

    private boolean unchangedSince(Ticket t, long seq) {
        return t.tracked() && epoch.get() == t.epoch() && stripes.get(t.stripe()) == seq;
    }

    private void put(String key, Entry e) {
        if (e.bytes() > maxBytes / 4) {
            drop(key); // one session must not push everything else out
            return;
        }
        Entry old = entries.put(key, e);
        bytes.addAndGet(e.bytes() - (old == null ? 0 : old.bytes()));
        if (bytes.get() > maxBytes) {
            long target = maxBytes - maxBytes / 10;
            for (Iterator<String> it = entries.keySet().iterator(); it.hasNext() && bytes.get() > target; ) {
                String k = it.next();
                if (!k.equals(key)) {
                    drop(k);
                }
            }
        }
    }

    private void drop(String key) {
        entries.computeIfPresent(key, (k, old) -> {
            bytes.addAndGet(-old.bytes());
            return null;
        });
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    private static int size(String key, Map<String, byte[]> hash) {
        int n = ENTRY_OVERHEAD + key.length();
        for (Map.Entry<String, byte[]> e : hash.entrySet()) {
            n += FIELD_OVERHEAD + e.getKey().length() + e.getValue().length;
        }
        return n;
    }

    private static String field(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "NearCache[" + entries.size() + " sessions, " + bytes.get() + " bytes, tracking=" + tracking() + "]";
    }
}
