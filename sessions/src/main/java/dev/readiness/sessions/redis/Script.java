package dev.readiness.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1, sent as EVALSHA, and as EVAL (the body, which also caches it) when Redis may not hold
 * it: after NOSCRIPT, and first on a new connection ({@link RedisSessionStore}).
 */
record Script(String body, String sha) {

    static Script of(String body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
            return new Script(body, HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * Load, bounded. KEYS[1] the session. ARGV[1] the most fields read; ARGV[2] the most bytes read, field names and
     * values together. A hash within both comes back as HGETALL returns it (field, value, ...: an even count); one
     * over either is not read, and the answer is three values, {@code '#refused'}, {@code 'fields'} or
     * {@code 'bytes'}, and what it holds: an odd count, so no hash can be mistaken for it. HLEN is O(1) and
     * guards the field count before anything is read; the bytes are then summed in the script over what HGETALL
     * gave it, so a hash over the bound never crosses the network or reaches the application, and a load costs
     * three commands in one round trip whatever the session holds (one HSTRLEN per field would cost a command per
     * attribute on every load).
     */
    static final Script LOAD = of("""
            local k = KEYS[1]
            local n = redis.call('HLEN', k)
            if n > tonumber(ARGV[1]) then return {'#refused', 'fields', n} end
            if n == 0 then return {} end
            local h = redis.call('HGETALL', k)
            local bytes, limit = 0, tonumber(ARGV[2])
            for i = 1, #h do
              bytes = bytes + #h[i]
            end
            if bytes > limit then return {'#refused', 'bytes', bytes} end
            return h
            """);

    /**
     * Save. KEYS[1] the session. ARGV[1] 'n' create, 'u' update; ARGV[2] ttl ms; ARGV[3] creation time; ARGV[4]
     * number of removed fields R; ARGV[5..4+R] removed fields; the rest field/value pairs (always at least the
     * access time). A save writes only what its request changed, so concurrent requests that change different
     * attributes both persist; for one attribute the last write wins.
     * <p>
     * A create writes only onto no key at all: an existing id, or a tombstone ({@code #x}, left by
     * {@link #DELETE}), is refused. An update refuses a tombstone and checks existence with the PEXPIRE itself (0
     * when the key is gone), so no save ever brings back an invalidated or expired session. Each save raises the
     * version {@code #v} by one; a missing or unreadable version (a session written by an earlier release; anything
     * but 1 to 14 decimal digits) counts as 0. The closing EXISTS is a read: a write ends the caller's client
     * tracking of the key, and the read starts it again, so a near cache holding this session hears of the next
     * change made elsewhere.
     * Returns the new version (1 or more) saved, 0 gone (expired or invalidated), -1 the id of a new session
     * exists already, -2 the id of a new session was invalidated.
     */
    static final Script SAVE = of("""
            local k = KEYS[1]
            if ARGV[1] == 'n' then
              if redis.call('EXISTS', k) == 1 then
                if redis.call('HEXISTS', k, '#x') == 1 then return -2 end
                return -1
              end
              redis.call('HSET', k, '#c', ARGV[3])
            elseif redis.call('HEXISTS', k, '#x') == 1 or redis.call('PEXPIRE', k, ARGV[2]) == 0 then
              return 0
            end
            local r = tonumber(ARGV[4])
            if r > 0 then redis.call('HDEL', k, unpack(ARGV, 5, 4 + r)) end
            local v = redis.call('HGET', k, '#v')
            if v and string.match(v, '^%d%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?$') then v = tonumber(v) + 1 else v = 1 end
            redis.call('HSET', k, '#v', v, unpack(ARGV, 5 + r, #ARGV))
            if ARGV[1] == 'n' then redis.call('PEXPIRE', k, ARGV[2]) end
            redis.call('EXISTS', k)
            return v
            """);

    /**
     * Rotate. KEYS[1] old, KEYS[2] new (one hash slot). ARGV[1] ttl ms; ARGV[2] now; ARGV[3] creation time;
     * ARGV[4] number of removed fields R; ARGV[5..4+R] removed fields; ARGV[5+R] number C of values in the changed
     * field/value pairs that follow (metadata and the attributes the request changed); then the pairs of the
     * attributes it did not change. When the old key holds the session, it is renamed and only the request's
     * changes are applied, so a save that reached the old key meanwhile is kept; when it expired meanwhile, the
     * complete state is written. The old id is left a tombstone, so no copy held elsewhere (a mirror-mode
     * instance's container session) can bring it back.
     * Returns the new version saved, 0 the old id was invalidated meanwhile (nothing written), -1 the new id exists
     * already.
     */
    static final Script ROTATE = of("""
            local old, new = KEYS[1], KEYS[2]
            if redis.call('EXISTS', new) == 1 then return -1 end
            if redis.call('HEXISTS', old, '#x') == 1 then return 0 end
            local r = tonumber(ARGV[4])
            local c = tonumber(ARGV[5 + r])
            local last = #ARGV
            local v = 1
            if redis.call('EXISTS', old) == 1 then
              v = redis.call('HGET', old, '#v')
              if v and string.match(v, '^%d%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?%d?$') then v = tonumber(v) + 1 else v = 1 end
              redis.call('RENAME', old, new)
              if r > 0 then redis.call('HDEL', new, unpack(ARGV, 5, 4 + r)) end
              last = 5 + r + c
            end
            redis.call('HSET', new, '#c', ARGV[3], '#v', v)
            if last > 5 + r then redis.call('HSET', new, unpack(ARGV, 6 + r, last)) end
            redis.call('PEXPIRE', new, ARGV[1])
            redis.call('HSET', old, '#x', ARGV[2])
            redis.call('PEXPIRE', old, ARGV[1])
            return v
            """);

    /**
     * Invalidate. KEYS[1] the session. ARGV[1] now; ARGV[2] the shortest time the tombstone is kept, ms. The
     * session's hash is replaced by a tombstone ({@code #x}: when) that lives as long as the session would have,
     * and at least ARGV[2]: no save, rotation or mirror-mode copy can recreate the session meanwhile, whichever
     * instance or release it comes from. Returns 1.
     */
    static final Script DELETE = of("""
            local k = KEYS[1]
            local ttl = redis.call('PTTL', k)
            if ttl < tonumber(ARGV[2]) then ttl = ARGV[2] end
            redis.call('DEL', k)
            redis.call('HSET', k, '#x', ARGV[1])
            redis.call('PEXPIRE', k, ttl)
            return 1
            """);
}
