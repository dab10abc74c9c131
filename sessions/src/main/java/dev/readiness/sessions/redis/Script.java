package dev.readiness.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script and its SHA-1, sent as EVALSHA and loaded with EVAL only after NOSCRIPT. */
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
     * Save. KEYS[1] the session. ARGV[1] 'n' create, 'u' update, 'f' full replace (mirror mode); ARGV[2] ttl ms;
     * ARGV[3] creation time; ARGV[4] number of removed fields R; ARGV[5..4+R] removed fields; the rest field/value
     * pairs (always at least the access time). An update checks existence with the PEXPIRE itself (0 when the key
     * is gone), so it never brings back an invalidated or expired session and costs no extra command. The
     * closing EXISTS is a read: a write ends the caller's client tracking of the key, and the read starts it
     * again, so a near cache holding this session hears of the next change made elsewhere.
     * Returns 1 saved, 0 gone, -1 the id of a new session exists already.
     */
    static final Script SAVE = of("""
            local k = KEYS[1]
            local mode = ARGV[1]
            if mode == 'n' then
              if redis.call('HSETNX', k, '#c', ARGV[3]) == 0 then return -1 end
            elseif mode == 'f' then
              redis.call('DEL', k)
              redis.call('HSET', k, '#c', ARGV[3])
            elseif redis.call('PEXPIRE', k, ARGV[2]) == 0 then
              return 0
            end
            local r = tonumber(ARGV[4])
            if r > 0 then redis.call('HDEL', k, unpack(ARGV, 5, 4 + r)) end
            redis.call('HSET', k, unpack(ARGV, 5 + r, #ARGV))
            if mode ~= 'u' then redis.call('PEXPIRE', k, ARGV[2]) end
            redis.call('EXISTS', k)
            return 1
            """);

    /**
     * Rotate. KEYS[1] old, KEYS[2] new (one hash slot). ARGV[1] ttl ms; the rest the complete state as field/value
     * pairs. Deleting the old key first means a missing old key (expired in between) is no failure.
     * Returns 1 done, -1 the new id exists already.
     */
    static final Script ROTATE = of("""
            if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[2], unpack(ARGV, 2, #ARGV))
            redis.call('PEXPIRE', KEYS[2], ARGV[1])
            return 1
            """);
}
