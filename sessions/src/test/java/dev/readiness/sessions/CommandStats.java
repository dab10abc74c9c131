package dev.readiness.sessions;

import dev.readiness.testkit.RedisServer;

import java.io.IOException;
import java.util.Map;

/** Commands a real redis-server executed, from INFO commandstats (not estimated). */
public final class CommandStats {

    private CommandStats() {
    }

    public static void reset(RedisServer redis) throws IOException {
        redis.command("CONFIG", "RESETSTAT");
    }

    /** Calls per command name, e.g. {hgetall=1, evalsha=1, pexpire=1, hset=1}. */
    public static Map<String, Long> read(RedisServer redis) throws IOException {
        return redis.commandStats();
    }

    /**
     * Script commands the client sent, loads included (a script counts once here; commandstats also counts each
     * command the script runs, under its own name).
     */
    public static long sentByClient(Map<String, Long> calls) {
        return calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
    }

    /** Loads: only the load script runs HLEN. */
    public static long loads(Map<String, Long> calls) {
        return calls.getOrDefault("hlen", 0L);
    }

    /** Saves, rotations and deletes: the scripts sent that were not loads. */
    public static long writes(Map<String, Long> calls) {
        return sentByClient(calls) - loads(calls);
    }
}
