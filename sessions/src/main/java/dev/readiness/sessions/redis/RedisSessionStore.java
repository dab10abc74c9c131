package dev.readiness.sessions.redis;

import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionRefusedException;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStore;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionTooLargeException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.AttributeCodec;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sessions in Redis through Lettuce: standalone ({@code redis://}, {@code rediss://} with TLS, password or ACL
 * user in the URI), Sentinel ({@code redis-sentinel://}) or Redis Cluster (comma-separated seeds).
 * <p>
 * One hash per session under {@code <prefix>{<tag>}<body>} ({@link SessionHash} has the format). Load, save,
 * rotation and invalidation are one EVALSHA each (load: {@link Script#LOAD}, an HGETALL that reads nothing over the
 * bounds); expiry is the key's own TTL. After a reconnect, and after Redis answered NOSCRIPT once, each script is
 * sent as EVAL with its body: a Redis that restarted (and lost its script cache) costs no extra round trip, and one
 * whose cache was flushed costs one, on the first command only. Nothing uses keyspace
 * notifications or CONFIG, so managed Redis works. Commands fail after the command timeout, and at once while
 * the connection is down (no queueing), so a request never hangs on Redis ({@link RedisConnection}).
 * <p>
 * With the near cache (standalone and Sentinel; off by default) the store's connection turns on Redis's client
 * tracking ({@code CLIENT TRACKING ON NOLOOP} over RESP3) and keeps each session it loaded or wrote. Loading an
 * unchanged session then costs no round trip; Redis pushes an invalidation on the same connection as soon as
 * another client changes the session or it expires. The cache is dropped whole when the connection drops or a
 * command fails, and is served only while tracking is confirmed on the current connection. See {@link NearCache}
 * and {@link ClientTracking}.
 * <p>
 * The client connects lazily: an application starts while Redis is down and reports readiness DOWN.
 */
public final class RedisSessionStore implements SessionStore {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);

    private final SessionSettings settings;
    private final SessionHash format;
    private final SessionEvents events;
    private final Clock clock;
    private final String where;
    private final long timeoutNanos;
    private final NearCache nearCache;
    private final ClientTracking tracking;
    private final RedisConnection redis;
    /** The connection (its {@link RedisConnection#connects()} number) each script last ran on. */
    private final Map<Script, Long> scriptsOn = new java.util.concurrent.ConcurrentHashMap<>();
    /** The connection on which Redis answered NOSCRIPT: its cache was flushed, every script is sent whole. */
    private volatile long flushedOn;
    /** WAIT after each write, or null when readiness.sessions.redis.wait-replicas is 0. */
    private final Replication replication;

    private RedisSessionStore(SessionSettings settings, AttributeCodec codec, SessionEvents events, Clock clock) {
        this.settings = settings;
        this.format = new SessionHash(codec, events);
        this.events = events;
        this.clock = clock;
        this.where = RedisConnection.describe(settings);
        this.timeoutNanos = settings.commandTimeout().toNanos();
        if (settings.nearCache() && settings.cluster()) {
            log.info("readiness.sessions.redis.near-cache is not used with a Redis Cluster: every load reads Redis");
        }
        this.nearCache = settings.nearCache() && !settings.cluster()
                ? new NearCache(settings.nearCacheMaxBytes(), events::nearCache) : null;
        this.tracking = nearCache == null ? null : new ClientTracking(nearCache, where);
        this.redis = new RedisConnection(settings, events, where, tracking);
        this.replication = settings.waitReplicas() == 0 ? null : new Replication(settings, events, where);
    }

    /** A store with the configured codec and no metrics. */
    public static RedisSessionStore create(SessionSettings settings) {
        return create(settings, settings.createCodec(), SessionEvents.NONE);
    }

    /** A store with {@code codec}, reporting to {@code events} (e.g. {@code SessionMetrics}). */
    public static RedisSessionStore create(SessionSettings settings, AttributeCodec codec, SessionEvents events) {
        return new RedisSessionStore(settings, codec, events, Clock.systemUTC());
    }

    /** As above with the clock that stamps creation and access times (tests move it instead of sleeping). */
    public static RedisSessionStore create(SessionSettings settings, AttributeCodec codec, SessionEvents events,
                                           Clock clock) {
        return new RedisSessionStore(settings, codec, events, clock);
    }

    @Override
    public AttributeCodec codec() {
        return format.codec();
    }

    @Override
    public int maxSize() {
        return settings.maxSize();
    }

    @Override
    public int maxAttributes() {
        return settings.maxAttributes();
    }

    @Override
    public long decodeFailures() {
        return format.decodeFailures();
    }

    @Override
    public Optional<StoredSession> load(String id) {
        if (!SessionIds.isWellFormed(id)) {
            return Optional.empty();
        }
        String key = key(id);
        RedisClusterAsyncCommands<String, byte[]> c = redis.commands();
        NearCache nc = nearCache;
        NearCache.Ticket ticket = null;
        if (nc != null) {
            Map<String, byte[]> cached = nc.get(key);
            if (cached != null) {
                Optional<StoredSession> s = format.parse(id, cached, true);
                if (s.isPresent() && s.get().lastAccessTime() + s.get().maxInactive().toMillis() > clock.millis()) {
                    events.nearCache("hit");
                    return s;
                }
                nc.forget(key); // expired by its own clock; Redis's push may be on its way
            }
            events.nearCache("miss");
            tracking.ensure();
            ticket = nc.beforeLoad(key);
        }
        long t0 = System.nanoTime();
        byte[][] bounds = {SessionHash.ascii(Integer.toString(maxLoadFields())),
                SessionHash.ascii(Integer.toString(maxLoadBytes()))};
        List<Object> reply = call("load", () -> eval(Script.LOAD, ScriptOutputType.MULTI, new String[] {key}, bounds,
                new int[] {1}));
        if (reply.size() % 2 == 1) {
            throw refused(id, reply);
        }
        Map<String, byte[]> hash = SessionHash.fromReply(reply);
        events.loaded(System.nanoTime() - t0, SessionHash.bytes(hash));
        if (nc != null) {
            nc.loaded(ticket, key, hash);
        }
        return format.parse(id, hash, false);
    }

    /** Fields a load reads at most: the attributes and the five metadata fields. */
    private int maxLoadFields() {
        return settings.maxAttributes() + 5;
    }

    /**
     * Bytes a load reads at most, field names and values: twice max-size, so every session a release wrote under
     * the same max-size loads (older releases counted values only), while a hash no limit ever let through is
     * not read.
     */
    private int maxLoadBytes() {
        return 2 * settings.maxSize();
    }

    /** A stored session over the load bounds: counted, and the request refused (the filter logs it, once). */
    private SessionRefusedException refused(String id, List<Object> reply) {
        boolean fields = "fields".equals(reply.size() > 1 && reply.get(1) instanceof byte[] b
                ? new String(b, StandardCharsets.US_ASCII) : "");
        Object holds = reply.size() > 2 ? reply.get(2) : "?";
        String reason = fields ? "load-attributes" : "load-size";
        events.refused(reason);
        String what = fields ? holds + " fields, over readiness.sessions.max-attributes=" + settings.maxAttributes()
                + " (at most " + maxLoadFields() + " fields are read)"
                : holds + " bytes, over twice readiness.sessions.max-size=" + settings.maxSize() + " (at most "
                + maxLoadBytes() + " bytes are read)";
        return new SessionRefusedException("session " + SessionIds.loggable(id) + " in Redis at " + where + " holds "
                + what + "; not read, and left in Redis as it is", reason);
    }

    @Override
    public SaveResult save(SessionWrite write) {
        return write(write.creates() ? SessionHash.Write.CREATE : SessionHash.Write.UPDATE, write);
    }

    private SaveResult write(SessionHash.Write how, SessionWrite w) {
        Map<String, byte[]> encoded = format.encode(w);
        Set<String> removed = SessionHash.removed(w);
        checkSize(w, encoded, removed, false);
        checkCount(w, encoded.keySet(), removed, false);
        SessionHash.Args args = SessionHash.saveArgs(how, w, encoded, removed, clock.millis());
        long t0 = System.nanoTime();
        int[] commands = {1};
        String[] keys = {key(w.id())};
        NearCache nc = nearCache;
        NearCache.Ticket ticket = nc == null ? null : nc.beforeWrite(keys[0]);
        long result;
        try {
            result = call("save", () -> eval(Script.SAVE, keys, args.values(), commands));
        } catch (RuntimeException e) {
            if (nc != null) {
                nc.forget(keys[0]);
            }
            throw e;
        }
        events.saved(System.nanoTime() - t0, args.bytes());
        if (nc != null) {
            SessionHash.applySave(nc, ticket, keys[0], how, result, args);
        }
        if (result == -1) {
            return new SaveResult(SaveResult.Status.EXISTS, commands[0], 0, 0);
        }
        return result >= 1 ? new SaveResult(SaveResult.Status.SAVED, commands[0], args.bytes(), result)
                : new SaveResult(SaveResult.Status.GONE, commands[0], 0, 0);
    }

    @Override
    public SaveResult rotate(String oldId, SessionWrite write) {
        if (!SessionIds.isWellFormed(oldId) || !SessionIds.isWellFormed(write.id())
                || !oldId.regionMatches(0, write.id(), 0, SessionIds.TAG_LENGTH)) {
            throw new IllegalArgumentException("a rotated id must come from SessionIds.rotate(oldId)");
        }
        if (write.base() == null) {
            throw new IllegalArgumentException("only a stored session rotates; a new one is saved under its new id");
        }
        Map<String, byte[]> changed = format.encode(write);
        Map<String, byte[]> unchanged = new LinkedHashMap<>();
        Set<String> removed = SessionHash.removed(write);
        for (Map.Entry<String, Object> e : write.base().attributes().entrySet()) {
            String n = e.getKey();
            if (!changed.containsKey(n) && !removed.contains(n)) {
                byte[] stored = write.base().encoded().get(n);
                unchanged.put(n, stored != null ? stored : format.codec().encode(e.getValue()));
            }
        }
        Map<String, byte[]> all = new HashMap<>(unchanged);
        all.putAll(changed);
        checkSize(write, all, Set.of(), true);
        checkCount(write, all.keySet(), Set.of(), true);
        SessionHash.Args args = SessionHash.rotateArgs(write, changed, unchanged, removed, clock.millis());
        long t0 = System.nanoTime();
        int[] commands = {1};
        String[] keys = {key(oldId), key(write.id())};
        forget(keys);
        long result;
        try {
            result = call("rotate", () -> eval(Script.ROTATE, keys, args.values(), commands));
        } finally {
            forget(keys);
        }
        events.saved(System.nanoTime() - t0, args.bytes());
        if (result == -1) {
            throw new IllegalStateException("session id collision on rotation; ids are random, so this is a bug");
        }
        return result >= 1 ? new SaveResult(SaveResult.Status.SAVED, commands[0], args.bytes(), result)
                : new SaveResult(SaveResult.Status.GONE, commands[0], 0, 0);
    }

    @Override
    public void delete(String id) {
        if (!SessionIds.isWellFormed(id)) {
            return;
        }
        long t0 = System.nanoTime();
        String[] keys = {key(id)};
        forget(keys);
        List<byte[]> args = List.of(String.valueOf(clock.millis()).getBytes(StandardCharsets.US_ASCII),
                String.valueOf(settings.maxInactiveInterval().toMillis()).getBytes(StandardCharsets.US_ASCII));
        try {
            call("delete", () -> eval(Script.DELETE, keys, args, new int[] {1}));
        } finally {
            forget(keys);
        }
        events.saved(System.nanoTime() - t0, 0);
    }

    @Override
    public DependencyCheck readinessCheck() {
        return new RedisReadinessCheck(redis, where, nearCache);
    }

    @Override
    public void close() {
        redis.close();
    }

    private void forget(String[] keys) {
        NearCache nc = nearCache;
        if (nc != null) {
            for (String k : keys) {
                nc.forget(k);
            }
        }
    }

    /**
     * Size as this writer sees the session, each attribute's UTF-8 name and encoded value; concurrent writers of
     * other attributes are not counted. A stored session already over the limit (written under a larger one, or
     * before names were counted) is refused only a write that makes it larger, so it is never stuck.
     */
    private void checkSize(SessionWrite w, Map<String, byte[]> encoded, Set<String> removed, boolean full) {
        Map<String, Integer> sizes = new HashMap<>();
        if (w.base() != null && !full) {
            sizes.putAll(w.base().sizes());
            sizes.keySet().removeAll(removed);
        }
        encoded.forEach((k, v) -> sizes.put(k, v.length));
        sizes.replaceAll((k, v) -> v + StoredSession.nameBytes(k));
        int total = 0;
        for (int s : sizes.values()) {
            total += s;
        }
        int stored = 0;
        if (w.base() != null) {
            for (Map.Entry<String, Integer> e : w.base().sizes().entrySet()) {
                stored += e.getValue() + StoredSession.nameBytes(e.getKey());
            }
        }
        if (total > settings.maxSize() && total > stored) {
            List<Map.Entry<String, Integer>> largest = new ArrayList<>(sizes.entrySet());
            largest.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < Math.min(3, largest.size()); i++) {
                names.append(i == 0 ? "" : ", ").append(largest.get(i).getKey()).append(" (")
                        .append(largest.get(i).getValue()).append(" bytes)");
            }
            throw new SessionTooLargeException("session would be " + total + " bytes, over readiness.sessions.max-size="
                    + settings.maxSize() + "; largest attributes: " + names, total, settings.maxSize());
        }
    }

    /**
     * Attributes as this writer sees the session, over max-attributes: refused here, before Redis's Lua would
     * refuse the script's arguments ({@code unpack} takes at most 7,999 values), so nothing is sent and the stored
     * session is left as it was.
     */
    private void checkCount(SessionWrite w, Set<String> written, Set<String> removed, boolean full) {
        Set<String> names = new java.util.HashSet<>(written);
        if (w.base() != null && !full) {
            names.addAll(w.base().sizes().keySet());
            names.removeAll(removed);
        }
        if (names.size() > settings.maxAttributes()
                && (w.base() == null || names.size() > w.base().sizes().size())) {
            events.refused("save-attributes");
            throw new SessionTooLargeException("session would hold " + names.size() + " attributes, over"
                    + " readiness.sessions.max-attributes=" + settings.maxAttributes() + "; nothing was written",
                    names.size(), settings.maxAttributes());
        }
    }

    private long eval(Script script, String[] keys, List<byte[]> args, int[] commands) {
        Long r = eval(script, ScriptOutputType.INTEGER, keys, args.toArray(byte[][]::new), commands);
        return r;
    }

    /**
     * One script call in one round trip, two only when Redis answers NOSCRIPT. EVALSHA while the script is
     * known to be loaded; EVAL (the body, which loads it) on a connection other than the one it last ran on, and
     * after any NOSCRIPT on this connection (the whole cache is gone then, so every script is sent whole once).
     * The first connection starts with EVALSHA: another instance has usually loaded the scripts already.
     */
    private <T> T eval(Script script, ScriptOutputType type, String[] keys, byte[][] values, int[] commands) {
        RedisClusterAsyncCommands<String, byte[]> c = redis.commands();
        long connection = redis.connects();
        Long ranOn = scriptsOn.get(script);
        boolean whole = ranOn == null ? connection > 1 || flushedOn == connection : ranOn != connection;
        Replication wait = script == Script.LOAD ? null : replication;
        if (whole) {
            T r = awaitConfirmed(c, wait, keys[0], () -> c.<T>eval(script.body(), type, keys, values), commands);
            scriptsOn.put(script, connection);
            return r;
        }
        try {
            return awaitConfirmed(c, wait, keys[0], () -> c.<T>evalsha(script.sha(), type, keys, values), commands);
        } catch (RedisNoScriptException e) {
            // SCRIPT FLUSH on a live connection, a cluster node that never saw it, or a replica promoted since:
            // EVAL loads it again.
            flushedOn = connection;
            scriptsOn.clear();
            commands[0]++;
            T r = awaitConfirmed(c, wait, keys[0], () -> c.<T>eval(script.body(), type, keys, values), commands);
            scriptsOn.put(script, connection);
            return r;
        }
    }

    /**
     * The command's answer; with {@code readiness.sessions.redis.wait-replicas} set, the command followed on the
     * same connection by WAIT without waiting for the first answer (one round trip; a WAIT shared with the
     * concurrent writes while another is on the wire, {@link Replication#confirm}), and the WAIT's answer reported
     * to {@link Replication}. A save WAIT finds short is still the save's answer; a save whose WAIT got no answer
     * fails.
     */
    private <T> T awaitConfirmed(RedisClusterAsyncCommands<String, byte[]> c, Replication wait, String key,
                                 Supplier<RedisFuture<T>> command, int[] commands) {
        if (wait == null) {
            return await(command.get());
        }
        Replication.Target target = wait.target(redis, c, key, timeoutNanos);
        if (!wait.due(target)) {
            T r = await(command.get());
            wait.skipped();
            return r;
        }
        RedisFuture<T> answer = command.get();
        java.util.concurrent.CompletableFuture<Long> confirmed = wait.confirm(target);
        commands[0]++;
        T r = await(answer);
        long replicas;
        try {
            replicas = Replication.await(confirmed, timeoutNanos);
            Replication.Target now = wait.target(redis, c, key, timeoutNanos);
            if (!now.sameNode(target)) {
                // redirected (MOVED) meanwhile: the save ran on the slot's new master, so WAIT there
                commands[0]++;
                replicas = await(now.send());
            }
        } catch (RedisCommandExecutionException e) {
            // Redis answered the WAIT with an error (WAIT refused or renamed): the save stands, counted and logged
            wait.failed(target, e);
            return r;
        }
        // any other failure of the WAIT (the connection dropped, no answer) propagates and fails the request like
        // a save Redis did not answer: the master that took the write may be gone with it, before its replica had it
        wait.answered(target, replicas);
        return r;
    }

    /**
     * Waits for a command as Lettuce's synchronous API would (the command timeout, then the command is
     * cancelled; Redis errors surface as {@link RedisException}s), without that API's reflective proxy on every
     * call.
     */
    private <T> T await(RedisFuture<T> future) {
        return LettuceFutures.awaitOrCancel(future, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs one store operation and says how it failed: a timeout (no answer within the command timeout: two in a
     * row make the next requests fail at once while Redis is hung), connection loss (not connected, or closed under
     * the command) or an error reply (Redis answered, with its own message: a script error, OOM, READONLY, a
     * refused command). Each is counted by kind ({@link SessionEvents#failed(String, String, Throwable)}).
     */
    private <T> T call(String operation, Supplier<T> op) {
        redis.failFastWhileDown(operation);
        try {
            T result = op.get();
            redis.answered();
            return result;
        } catch (RedisException e) {
            String kind;
            String what;
            if (e instanceof RedisCommandTimeoutException) {
                redis.timedOut();
                kind = "timeout";
                what = "did not answer within " + settings.commandTimeout()
                        + " (readiness.sessions.redis.command-timeout)";
            } else if (e instanceof RedisCommandExecutionException) {
                redis.answered(); // it answered: not hung
                kind = "redis-error";
                what = "answered with an error";
            } else {
                kind = "connection";
                what = "is not reachable (connection lost or not connected)";
            }
            // The invalidation stream may have gaps too: trust nothing cached until Redis answers again.
            if (nearCache != null) {
                nearCache.flush();
            }
            events.failed(operation, kind, e);
            throw new SessionStoreUnavailableException("session store " + operation + " failed: Redis at " + where
                    + " " + what + ": " + e.getMessage(), e);
        }
    }

    /** Whether loads are being answered from the near cache now (tracking confirmed on the current connection). */
    boolean nearCacheServing() {
        return tracking != null && tracking.serving();
    }

    /**
     * "off" (not configured, or a cluster), "refused" (Redis would not track) or what it holds, e.g.
     * "NearCache[3 sessions, 812 bytes, tracking=true]".
     */
    String nearCacheState() {
        return tracking == null ? "off" : tracking.state();
    }

    private String key(String id) {
        return SessionIds.key(settings.keyPrefix(), id);
    }

    @Override
    public String toString() {
        return "RedisSessionStore[" + where + ", codec=" + format.codec().name() + "]";
    }
}
