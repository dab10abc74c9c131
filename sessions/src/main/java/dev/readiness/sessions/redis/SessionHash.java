package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.AttributeCodec;
import dev.readiness.sessions.codec.AttributeDecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wire format, in one place: the hash one session is stored in, and the arguments of the scripts that write
 * it ({@link Script}).
 * <p>
 * Metadata fields {@code #c} (created, epoch ms), {@code #a} (last access, epoch ms), {@code #i} (max inactive,
 * ms), {@code #v} (version, raised by every save; absent in sessions of releases before it, read as 0), and one
 * field {@code a:<name>} (UTF-8) per attribute holding the codec's bytes. A hash with {@code #x} is a tombstone
 * (an invalidated session, kept until it would have expired): it reads as absent, and no save recreates it. A
 * hash whose metadata is missing or not a number is not a session this library wrote: it reads as absent. An
 * attribute the codec cannot read is dropped from the loaded session (and removed at its next save), never fatal.
 */
final class SessionHash {

    private static final Logger log = LoggerFactory.getLogger(SessionHash.class);
    static final String CREATED = "#c";
    static final String ACCESSED = "#a";
    static final String MAX_INACTIVE = "#i";
    static final String VERSION = "#v";
    static final String TOMBSTONE = "#x";
    static final String ATTR = "a:";
    // Script arguments that never change, encoded once (Lettuce writes byte[] values as they are, no copy).
    private static final byte[] ATTR_BYTES = ascii(ATTR);
    private static final byte[] CREATED_FIELD = ascii(CREATED);
    private static final byte[] ACCESSED_FIELD = ascii(ACCESSED);
    private static final byte[] MAX_INACTIVE_FIELD = ascii(MAX_INACTIVE);
    private static final byte[] VERSION_FIELD = ascii(VERSION);

    /** How {@link Script#SAVE} writes: its ARGV[1]. */
    enum Write {
        /** A new session: fails (-1) if the id exists. */
        CREATE("n"),
        /** Changed attributes onto a session that must still exist (0 when gone). */
        UPDATE("u");

        private final byte[] arg;

        Write(String arg) {
            this.arg = ascii(arg);
        }
    }

    /**
     * The arguments of one script call, and what they carry.
     *
     * @param values  ARGV, in the script's order
     * @param bytes   attribute bytes written
     * @param removed how many fields the call deletes (they follow the fixed head in {@link Script#SAVE})
     */
    record Args(List<byte[]> values, int bytes, int removed) {
    }

    private final AttributeCodec codec;
    private final SessionEvents events;
    private final AtomicLong decodeFailures = new AtomicLong();

    SessionHash(AttributeCodec codec, SessionEvents events) {
        this.codec = codec;
        this.events = events;
    }

    AttributeCodec codec() {
        return codec;
    }

    /** Metadata and attributes that could not be read since start. */
    long decodeFailures() {
        return decodeFailures.get();
    }

    /** The session a hash holds; metadata that is not ours makes it absent, undecodable attributes are dropped. */
    Optional<StoredSession> parse(String id, Map<String, byte[]> hash, boolean cached) {
        if (hash.isEmpty() || hash.containsKey(TOMBSTONE)) {
            return Optional.empty();
        }
        Long created = number(hash.get(CREATED));
        Long accessed = number(hash.get(ACCESSED));
        Long maxInactive = number(hash.get(MAX_INACTIVE));
        if (created == null || accessed == null || maxInactive == null || maxInactive <= 0) {
            // Written by something else, or damaged: not a session we can vouch for.
            log.warn("session {} has unreadable metadata in Redis; treating it as absent", SessionIds.loggable(id));
            events.decodeFailed("#metadata", null);
            decodeFailures.incrementAndGet();
            return Optional.empty();
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, byte[]> encoded = new HashMap<>();
        Set<String> undecodable = new HashSet<>();
        for (Map.Entry<String, byte[]> e : hash.entrySet()) {
            if (!e.getKey().startsWith(ATTR)) {
                continue;
            }
            String name = e.getKey().substring(ATTR.length());
            sizes.put(name, e.getValue().length);
            try {
                attributes.put(name, codec.decode(e.getValue()));
                encoded.put(name, e.getValue());
            } catch (AttributeDecodeException | RuntimeException ex) {
                undecodable.add(name);
                decodeFailures.incrementAndGet();
                events.decodeFailed(name, ex);
                if (ex instanceof dev.readiness.sessions.codec.AttributeRefusedException r) {
                    events.refused(r.reason());
                }
                log.warn("session {}: dropped attribute '{}' that the {} codec cannot read: {}",
                        SessionIds.loggable(id), name, codec.name(), ex.getMessage());
            }
        }
        return Optional.of(new StoredSession(id, created, accessed, Duration.ofMillis(maxInactive), attributes, sizes,
                undecodable, cached, version(hash.get(VERSION)), encoded));
    }

    /** The changed attributes in the codec's bytes, in the write's order. */
    Map<String, byte[]> encode(SessionWrite w) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : w.changed().entrySet()) {
            encoded.put(e.getKey(), codec.encode(e.getValue()));
        }
        return encoded;
    }

    /**
     * The hash in {@link Script#LOAD}'s answer (field, value, ...; an even count): fields as UTF-8 names, values
     * as bytes. A value that is not a bulk string (nothing this library writes) is left out.
     */
    static Map<String, byte[]> fromReply(List<Object> reply) {
        Map<String, byte[]> hash = new HashMap<>(reply.size());
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            if (reply.get(i) instanceof byte[] f && reply.get(i + 1) instanceof byte[] v) {
                hash.put(new String(f, StandardCharsets.UTF_8), v);
            }
        }
        return hash;
    }

    /** Bytes of a loaded hash's values (for the load metric). */
    static int bytes(Map<String, byte[]> hash) {
        int bytes = 0;
        for (byte[] v : hash.values()) {
            bytes += v.length;
        }
        return bytes;
    }

    /**
     * The attributes a write deletes: those removed, and those the base could not decode (a save cleans them up),
     * less those it sets again.
     */
    static Set<String> removed(SessionWrite w) {
        Set<String> removed = new HashSet<>(w.removed());
        if (w.base() != null) {
            removed.addAll(w.base().undecodable());
        }
        removed.removeAll(w.changed().keySet());
        return removed;
    }

    /**
     * ARGV of {@link Script#SAVE}: mode, ttl, creation time, the count and names of removed fields, then
     * field/value pairs (access time, max inactive, the encoded attributes).
     */
    static Args saveArgs(Write how, SessionWrite w, Map<String, byte[]> encoded, Set<String> removed, long now) {
        List<byte[]> args = new ArrayList<>(8 + removed.size() + encoded.size() * 2);
        args.add(how.arg);
        args.add(number(w.maxInactive().toMillis()));
        args.add(number(w.creates() ? now : w.creationTime()));
        args.add(number(removed.size()));
        for (String r : removed) {
            args.add(field(r));
        }
        int bytes = addPairs(args, encoded, now, w.maxInactive());
        return new Args(args, bytes, removed.size());
    }

    /**
     * ARGV of {@link Script#ROTATE}: ttl, now, creation time, the count and names of removed fields, the count of
     * changed values, the changed pairs (metadata and {@code changed}), then the pairs of {@code unchanged}.
     */
    static Args rotateArgs(SessionWrite w, Map<String, byte[]> changed, Map<String, byte[]> unchanged,
                           Set<String> removed, long now) {
        List<byte[]> args = new ArrayList<>(10 + removed.size() + (changed.size() + unchanged.size()) * 2);
        args.add(number(w.maxInactive().toMillis()));
        args.add(number(now));
        args.add(number(w.creationTime()));
        args.add(number(removed.size()));
        for (String r : removed) {
            args.add(field(r));
        }
        args.add(null); // the count of changed values, known once they are added
        int at = args.size();
        int bytes = addPairs(args, changed, now, w.maxInactive());
        args.set(at - 1, number(args.size() - at));
        for (Map.Entry<String, byte[]> e : unchanged.entrySet()) {
            args.add(field(e.getKey()));
            args.add(e.getValue());
            bytes += e.getValue().length;
        }
        return new Args(args, bytes, removed.size());
    }

    /**
     * Brings the near cache up to date after a save (this connection gets no push for its own writes): a new
     * session is cached whole, an update is applied to the cached state, anything else is forgotten.
     */
    static void applySave(NearCache nc, NearCache.Ticket ticket, String key, Write how, long result, Args args) {
        if (result < 1) {
            nc.forget(key);
            return;
        }
        // The script's own arguments and the version it wrote: the cache applies exactly what the script applied.
        List<byte[]> values = args.values();
        List<byte[]> removed = values.subList(4, 4 + args.removed());
        List<byte[]> set = new ArrayList<>(values.size() - 2 - args.removed());
        set.add(VERSION_FIELD);
        set.add(number(result));
        set.addAll(values.subList(4 + args.removed(), values.size()));
        Map<String, byte[]> created = null;
        if (how == Write.CREATE) {
            created = new HashMap<>();
            created.put(CREATED, values.get(2));
            for (int i = 0; i + 1 < set.size(); i += 2) {
                created.put(new String(set.get(i), StandardCharsets.UTF_8), set.get(i + 1));
            }
        }
        nc.written(ticket, key, created, removed, set);
    }

    private static int addPairs(List<byte[]> args, Map<String, byte[]> encoded, long now, Duration maxInactive) {
        args.add(ACCESSED_FIELD);
        args.add(number(now));
        args.add(MAX_INACTIVE_FIELD);
        args.add(number(maxInactive.toMillis()));
        int bytes = 0;
        for (Map.Entry<String, byte[]> e : encoded.entrySet()) {
            args.add(field(e.getKey()));
            args.add(e.getValue());
            bytes += e.getValue().length;
        }
        return bytes;
    }

    /** 1 to 14 decimal digits, as {@link Script#SAVE} reads it; anything else (or nothing) is version 0. */
    static long version(byte[] b) {
        if (b == null || b.length == 0 || b.length > 14) {
            return 0;
        }
        long v = 0;
        for (byte d : b) {
            if (d < '0' || d > '9') {
                return 0;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }

    private static Long number(byte[] b) {
        if (b == null || b.length == 0 || b.length > 19) {
            return null;
        }
        try {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] number(long n) {
        return ascii(Long.toString(n));
    }

    /** The hash field of attribute {@code name}: {@code a:<name>}, UTF-8. */
    private static byte[] field(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[ATTR_BYTES.length + n.length];
        System.arraycopy(ATTR_BYTES, 0, f, 0, ATTR_BYTES.length);
        System.arraycopy(n, 0, f, ATTR_BYTES.length, n.length);
        return f;
    }
}
