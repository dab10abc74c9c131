package dev.readiness.sessions.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.sessions.SaveResult;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStore;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionTooLargeException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.sessions.StoredSession;
import dev.readiness.sessions.codec.AttributeCodec;
import dev.readiness.sessions.codec.AttributeDecodeException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sessions in Redis through Lettuce: standalone ({@code redis://}, {@code rediss://} with TLS, password or ACL
 * user in the URI), Sentinel ({@code redis-sentinel://}) or Redis Cluster (comma-separated seeds).
 * <p>
 * One hash per session under {@code <prefix>{<tag>}<body>}: metadata fields {@code #c} (created),
 * {@code #a} (last access), {@code #i} (max inactive, ms) and one field {@code a:<name>} per attribute. Load is
 * one HGETALL; save, rotation and replace are one EVALSHA each; expiry is the key's own TTL. Nothing uses
 * keyspace notifications or CONFIG, so managed Redis works. Commands fail after the command timeout, and at
 * once while the connection is down (no queueing), so a request never hangs on Redis.
 * <p>
 * With the near cache (standalone and Sentinel; off by default) the store's connection turns on Redis's client
 * tracking ({@code CLIENT TRACKING ON NOLOOP} over RESP3) and keeps each session it loaded or wrote. Loading an
 * unchanged session then costs no round trip; Redis pushes an invalidation on the same connection as soon as
 * another client changes the session or it expires. The cache is dropped whole when the connection drops or a
 * command fails, and is served only while tracking is confirmed on the current connection. See {@link NearCache}.
 * <p>
 * The client connects lazily: an application starts while Redis is down and reports readiness DOWN.
 */
public final class RedisSessionStore implements SessionStore {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    static final String CREATED = "#c";
    static final String ACCESSED = "#a";
    static final String MAX_INACTIVE = "#i";
    static final String ATTR = "a:";
    // Script arguments that never change, encoded once (Lettuce writes byte[] values as they are, no copy).
    private static final byte[] ATTR_BYTES = ascii(ATTR);
    private static final byte[] CREATED_FIELD = ascii(CREATED);
    private static final byte[] ACCESSED_FIELD = ascii(ACCESSED);
    private static final byte[] MAX_INACTIVE_FIELD = ascii(MAX_INACTIVE);
    private static final byte[] MODE_NEW = ascii("n");
    private static final byte[] MODE_UPDATE = ascii("u");
    private static final byte[] MODE_FULL = ascii("f");

    private final SessionSettings settings;
    private final AttributeCodec codec;
    private final SessionEvents events;
    private final Clock clock;
    private final String where;
    private final long timeoutNanos;
    private final AtomicLong decodeFailures = new AtomicLong();

    private final Object connectLock = new Object();
    private volatile AbstractRedisClient client;
    private volatile StatefulConnection<String, byte[]> connection;
    private volatile RedisClusterAsyncCommands<String, byte[]> async;
    private volatile boolean closed;

    private final NearCache nearCache;
    private final AtomicBoolean trackingPending = new AtomicBoolean();
    private volatile boolean nearCacheOff;
    private volatile StatefulRedisConnection<String, byte[]> standalone;

    private RedisSessionStore(SessionSettings settings, AttributeCodec codec, SessionEvents events, Clock clock) {
        this.settings = settings;
        this.codec = codec;
        this.events = events;
        this.clock = clock;
        this.where = describe(settings);
        this.timeoutNanos = settings.commandTimeout().toNanos();
        if (settings.nearCache() && settings.cluster()) {
            log.info("readiness.sessions.redis.near-cache is not used with a Redis Cluster: every load reads Redis");
        }
        this.nearCache = settings.nearCache() && !settings.cluster()
                ? new NearCache(settings.nearCacheMaxBytes(), events::nearCache) : null;
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
        return codec;
    }

    @Override
    public int maxSize() {
        return settings.maxSize();
    }

    @Override
    public long decodeFailures() {
        return decodeFailures.get();
    }

    @Override
    public Optional<StoredSession> load(String id) {
        if (!SessionIds.isWellFormed(id)) {
            return Optional.empty();
        }
        String key = key(id);
        RedisClusterAsyncCommands<String, byte[]> c = commandsAsync();
        NearCache nc = nearCache;
        NearCache.Ticket ticket = null;
        if (nc != null) {
            Map<String, byte[]> cached = nc.get(key);
            if (cached != null) {
                Optional<StoredSession> s = parse(id, cached, true);
                if (s.isPresent() && s.get().lastAccessTime() + s.get().maxInactive().toMillis() > clock.millis()) {
                    events.nearCache("hit");
                    return s;
                }
                nc.forget(key); // expired by its own clock; Redis's push may be on its way
            }
            events.nearCache("miss");
            ensureTracking(nc);
            ticket = nc.beforeLoad(key);
        }
        long t0 = System.nanoTime();
        Map<String, byte[]> hash = call("load", () -> await(c.hgetall(key)));
        int bytes = 0;
        for (byte[] v : hash.values()) {
            bytes += v.length;
        }
        events.loaded(System.nanoTime() - t0, bytes);
        if (nc != null) {
            nc.loaded(ticket, key, hash);
        }
        return parse(id, hash, false);
    }

    /** The session a hash holds; metadata that is not ours makes it absent, undecodable attributes are dropped. */
    private Optional<StoredSession> parse(String id, Map<String, byte[]> hash, boolean cached) {
        if (hash.isEmpty()) {
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
        Set<String> undecodable = new HashSet<>();
        for (Map.Entry<String, byte[]> e : hash.entrySet()) {
            if (!e.getKey().startsWith(ATTR)) {
                continue;
            }
            String name = e.getKey().substring(ATTR.length());
            sizes.put(name, e.getValue().length);
            try {
                attributes.put(name, codec.decode(e.getValue()));
            } catch (AttributeDecodeException | RuntimeException ex) {
                undecodable.add(name);
                decodeFailures.incrementAndGet();
                events.decodeFailed(name, ex);
                log.warn("session {}: dropped attribute '{}' that the {} codec cannot read: {}",
                        SessionIds.loggable(id), name, codec.name(), ex.getMessage());
            }
        }
        return Optional.of(new StoredSession(id, created, accessed, Duration.ofMillis(maxInactive), attributes, sizes,
                undecodable, cached));
    }

    @Override
    public SaveResult save(SessionWrite write) {
        return write(write.creates() ? "n" : "u", write);
    }

    @Override
    public SaveResult replace(SessionWrite write) {
        return write("f", write);
    }

    private SaveResult write(String mode, SessionWrite w) {
        Map<String, byte[]> encoded = encode(w);
        Set<String> removed = new HashSet<>(w.removed());
        if (w.base() != null) {
            removed.addAll(w.base().undecodable());
        }
        removed.removeAll(w.changed().keySet());
        if (mode.equals("f")) {
            removed.clear(); // the key is rewritten from scratch
        }
        checkSize(w, encoded, removed, mode.equals("f"));
        long now = clock.millis();
        List<byte[]> args = new ArrayList<>(8 + removed.size() + encoded.size() * 2);
        args.add(mode.equals("n") ? MODE_NEW : mode.equals("u") ? MODE_UPDATE : MODE_FULL);
        args.add(number(w.maxInactive().toMillis()));
        args.add(number(w.creates() ? now : w.creationTime()));
        args.add(number(removed.size()));
        for (String r : removed) {
            args.add(field(r));
        }
        int bytes = addPairs(args, encoded, now, w.maxInactive());
        long t0 = System.nanoTime();
        int[] commands = {1};
        String[] keys = {key(w.id())};
        NearCache nc = nearCache;
        NearCache.Ticket ticket = nc == null ? null : nc.beforeWrite(keys[0]);
        long result;
        try {
            result = call("save", () -> eval(Script.SAVE, keys, args, commands));
        } catch (RuntimeException e) {
            if (nc != null) {
                nc.forget(keys[0]);
            }
            throw e;
        }
        events.saved(System.nanoTime() - t0, bytes);
        if (nc != null) {
            cacheWritten(nc, ticket, keys[0], mode, result, args, removed.size());
        }
        if (result == -1) {
            throw new IllegalStateException("session id collision on create; ids are random, so this is a bug");
        }
        return new SaveResult(result == 1 ? SaveResult.Status.SAVED : SaveResult.Status.GONE, commands[0], bytes);
    }

    /**
     * Brings the near cache up to date after a save (this connection gets no push for its own writes): a new
     * session is cached whole, an update is applied to the cached state, anything else is forgotten.
     */
    private static void cacheWritten(NearCache nc, NearCache.Ticket ticket, String key, String mode, long result,
                                     List<byte[]> args, int removedCount) {
        if (result != 1 || mode.equals("f")) {
            nc.forget(key);
            return;
        }
        // Views of the script's own arguments (no copies): the cache applies exactly what the script applied.
        List<byte[]> removed = args.subList(4, 4 + removedCount);
        List<byte[]> set = args.subList(4 + removedCount, args.size());
        Map<String, byte[]> created = null;
        if (mode.equals("n")) {
            created = new HashMap<>();
            created.put(CREATED, args.get(2));
            for (int i = 0; i + 1 < set.size(); i += 2) {
                created.put(new String(set.get(i), StandardCharsets.UTF_8), set.get(i + 1));
            }
        }
        nc.written(ticket, key, created, removed, set);
    }

    @Override
    public SaveResult rotate(String oldId, SessionWrite write) {
        if (!SessionIds.isWellFormed(oldId) || !SessionIds.isWellFormed(write.id())
                || !oldId.regionMatches(0, write.id(), 0, SessionIds.TAG_LENGTH)) {
            throw new IllegalArgumentException("a rotated id must come from SessionIds.rotate(oldId)");
        }
        Map<String, byte[]> encoded = encode(write);
        checkSize(write, encoded, Set.of(), true);
        long now = clock.millis();
        List<byte[]> args = new ArrayList<>(4 + encoded.size() * 2);
        args.add(number(write.maxInactive().toMillis()));
        args.add(CREATED_FIELD);
        args.add(number(write.creationTime()));
        int bytes = addPairs(args, encoded, now, write.maxInactive());
        long t0 = System.nanoTime();
        int[] commands = {1};
        String[] keys = {key(oldId), key(write.id())};
        forget(keys);
        long result;
        try {
            result = call("rotate", () -> eval(Script.ROTATE, keys, args, commands));
        } finally {
            forget(keys);
        }
        events.saved(System.nanoTime() - t0, bytes);
        if (result == -1) {
            throw new IllegalStateException("session id collision on rotation; ids are random, so this is a bug");
        }
        return new SaveResult(SaveResult.Status.SAVED, commands[0], bytes);
    }

    @Override
    public void delete(String id) {
        if (!SessionIds.isWellFormed(id)) {
            return;
        }
        long t0 = System.nanoTime();
        String[] keys = {key(id)};
        forget(keys);
        try {
            call("delete", () -> await(commandsAsync().del(keys[0])));
        } finally {
            forget(keys);
        }
        events.saved(System.nanoTime() - t0, 0);
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
     * Turns client tracking on for the current connection, once, in the background: {@code CLIENT TRACKING ON
     * NOLOOP}, then {@code CLIENT INFO} to confirm the connection speaks RESP3 and tracks. Until the confirmation
     * arrives every load reads Redis. A server that refuses (older than 6.2, RESP2 only, a proxy that does not
     * pass tracking through) turns the near cache off for good, with one warning; a connection problem leaves it
     * to the next load to try again.
     */
    private void ensureTracking(NearCache nc) {
        StatefulRedisConnection<String, byte[]> conn = standalone;
        if (conn == null || nearCacheOff || nc.tracking() || !trackingPending.compareAndSet(false, true)) {
            return;
        }
        long epoch = nc.epoch();
        try {
            RedisAsyncCommands<String, byte[]> a = conn.async();
            RedisFuture<String> on = a.clientTracking(TrackingArgs.Builder.enabled().noloop());
            RedisFuture<String> info = a.clientInfo();
            info.whenComplete((line, err) -> {
                trackingPending.set(false);
                Throwable failure = on.toCompletableFuture().isCompletedExceptionally() ? cause(on) : err;
                if (failure == null && trackingConfirmed(line, negotiatedResp3(conn))) {
                    nc.trackingConfirmed(epoch);
                } else if (failure == null || failure instanceof RedisCommandExecutionException) {
                    nearCacheOff = true;
                    nc.flush();
                    log.warn("readiness.sessions.redis.near-cache is off: Redis at {} does not offer client tracking"
                            + " over RESP3 (Redis 6.2 or later; {}); every load reads Redis", where,
                            failure != null ? failure.getMessage() : "CLIENT INFO: " + line);
                }
            });
        } catch (RuntimeException e) {
            trackingPending.set(false); // rejected while disconnected: the next load tries again
        }
    }

    /**
     * Whether a CLIENT INFO line says tracking is on ({@code t} among the flags) on a RESP3 connection: its
     * {@code resp=} field (Redis 7 and later) or, where the line has none (Redis 6.2), the protocol Lettuce
     * negotiated.
     */
    static boolean trackingConfirmed(String clientInfo, boolean negotiatedResp3) {
        if (clientInfo == null) {
            return false;
        }
        boolean resp3 = negotiatedResp3;
        boolean tracking = false;
        for (String field : clientInfo.trim().split(" ")) {
            if (field.startsWith("resp=")) {
                resp3 = field.equals("resp=3");
            } else if (field.startsWith("flags=")) {
                tracking = field.indexOf('t', "flags=".length()) >= 0;
            }
        }
        return resp3 && tracking;
    }

    private static boolean negotiatedResp3(StatefulRedisConnection<?, ?> conn) {
        return conn instanceof io.lettuce.core.StatefulRedisConnectionImpl<?, ?> impl
                && impl.getConnectionState().getNegotiatedProtocolVersion() == io.lettuce.core.protocol.ProtocolVersion.RESP3;
    }

    private static Throwable cause(RedisFuture<?> f) {
        try {
            f.toCompletableFuture().getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Redis's pushes on the store's connection: {@code invalidate} with the changed keys, or null for all. */
    static PushListener invalidations(NearCache nc) {
        return (PushMessage m) -> {
            if (!"invalidate".equals(m.getType())) {
                return;
            }
            List<Object> content = m.getContent(b -> StandardCharsets.UTF_8.decode(b).toString());
            Object keys = content.size() > 1 ? content.get(1) : null;
            if (keys instanceof List<?> list) {
                for (Object k : list) {
                    nc.invalidated(String.valueOf(k));
                }
            } else {
                nc.flush(); // FLUSHALL, FLUSHDB, or the server dropped its tracking table
            }
        };
    }

    @Override
    public DependencyCheck readinessCheck() {
        return timeout -> {
            try {
                String pong = commandsAsync().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return "PONG".equals(pong) ? CheckResult.up().withDetail("redis", where)
                        : CheckResult.down("unexpected PING reply from " + where + ": " + pong);
            } catch (TimeoutException e) {
                flushNearCache();
                return CheckResult.down("Redis at " + where + " did not answer PING within " + timeout);
            } catch (ExecutionException e) {
                flushNearCache();
                return CheckResult.down("Redis at " + where + ": " + e.getCause().getMessage());
            } catch (SessionStoreUnavailableException e) {
                return CheckResult.down(e.getMessage());
            }
        };
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            closed = true;
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    private Map<String, byte[]> encode(SessionWrite w) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : w.changed().entrySet()) {
            encoded.put(e.getKey(), codec.encode(e.getValue()));
        }
        return encoded;
    }

    /** Size as this writer sees the session; concurrent writers of other attributes are not counted. */
    private void checkSize(SessionWrite w, Map<String, byte[]> encoded, Set<String> removed, boolean full) {
        Map<String, Integer> sizes = new HashMap<>();
        if (w.base() != null && !full) {
            sizes.putAll(w.base().sizes());
            sizes.keySet().removeAll(removed);
        }
        encoded.forEach((k, v) -> sizes.put(k, v.length));
        int total = 0;
        for (int s : sizes.values()) {
            total += s;
        }
        if (total > settings.maxSize()) {
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

    private long eval(Script script, String[] keys, List<byte[]> args, int[] commands) {
        byte[][] values = args.toArray(byte[][]::new);
        RedisClusterAsyncCommands<String, byte[]> c = commandsAsync();
        try {
            Long r = await(c.evalsha(script.sha(), ScriptOutputType.INTEGER, keys, values));
            return r;
        } catch (RedisNoScriptException e) {
            // After a restart or SCRIPT FLUSH (or on a cluster node that never saw it): EVAL loads it again.
            commands[0]++;
            Long r = await(c.<Long>eval(script.body(), ScriptOutputType.INTEGER, keys, values));
            return r;
        }
    }

    /**
     * Waits for a command as Lettuce's synchronous API would (the command timeout, then the command is
     * cancelled; Redis errors surface as {@link RedisException}s), without that API's reflective proxy on every
     * call.
     */
    private <T> T await(RedisFuture<T> future) {
        return LettuceFutures.awaitOrCancel(future, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private <T> T call(String operation, Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            // The invalidation stream may have gaps too: trust nothing cached until Redis answers again.
            flushNearCache();
            events.failed(operation, e);
            throw new SessionStoreUnavailableException("session store " + operation + " failed: Redis at " + where
                    + " did not answer within " + settings.commandTimeout()
                    + " (readiness.sessions.redis.command-timeout): " + e.getMessage(), e);
        }
    }

    /** Whether loads are being answered from the near cache now (tracking confirmed on the current connection). */
    boolean nearCacheServing() {
        NearCache nc = nearCache;
        return nc != null && !nearCacheOff && nc.tracking();
    }

    /**
     * "off" (not configured, or a cluster), "refused" (Redis would not track) or what it holds, e.g.
     * "NearCache[3 sessions, 812 bytes, tracking=true]".
     */
    String nearCacheState() {
        return nearCache == null ? "off" : nearCacheOff ? "refused" : nearCache.toString();
    }

    private void flushNearCache() {
        NearCache nc = nearCache;
        if (nc != null) {
            nc.flush();
        }
    }

    private String key(String id) {
        return SessionIds.key(settings.keyPrefix(), id);
    }

    private RedisClusterAsyncCommands<String, byte[]> commandsAsync() {
        RedisClusterAsyncCommands<String, byte[]> c = async;
        if (c == null) {
            connect();
            c = async;
        }
        return c;
    }

    private void connect() {
        synchronized (connectLock) {
            if (async != null) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("session store is closed");
            }
            Duration timeout = settings.commandTimeout();
            SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
            TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
            try {
                SslOptions ssl = sslOptions(timeout);
                if (settings.cluster()) {
                    List<RedisURI> seeds = new ArrayList<>();
                    for (String u : settings.redisUri().split(",")) {
                        RedisURI uri = RedisURI.create(u.trim());
                        uri.setTimeout(timeout);
                        seeds.add(uri);
                    }
                    RedisClusterClient c = client == null ? RedisClusterClient.create(seeds) : (RedisClusterClient) client;
                    client = c;
                    // Node connections open on first use, so commands may not be rejected while a node connects;
                    // the command timeout still bounds every call. Adaptive refresh follows MOVED after a failover.
                    c.setOptions(ClusterClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts)
                            .sslOptions(ssl)
                            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                    .enableAllAdaptiveRefreshTriggers().build())
                            .build());
                    StatefulRedisClusterConnection<String, byte[]> conn = c.connect(CODEC);
                    connection = conn;
                    async = conn.async();
                } else {
                    RedisURI uri = RedisURI.create(settings.redisUri().trim());
                    uri.setTimeout(timeout);
                    if (uri.isSsl() && uri.getVerifyMode() == SslVerifyMode.NONE) {
                        log.warn("readiness.sessions.redis.uri turns TLS peer verification off (verifyPeer): anyone"
                                + " on the path to {} can read and change sessions", where);
                    }
                    RedisClient c = client == null ? RedisClient.create(uri) : (RedisClient) client;
                    client = c;
                    c.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl)
                            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
                    StatefulRedisConnection<String, byte[]> conn = c.connect(CODEC, uri);
                    NearCache nc = nearCache;
                    if (nc != null) {
                        conn.addListener(invalidations(nc));
                        conn.addListener(new RedisConnectionStateListener() {
                            @Override
                            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> ch,
                                                         java.net.SocketAddress address) {
                                nc.flush(); // a new connection tracks nothing until told to
                            }

                            @Override
                            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> ch) {
                                nc.flush();
                            }
                        });
                        standalone = conn;
                    }
                    connection = conn;
                    async = conn.async();
                }
            } catch (RedisException e) {
                events.failed("connect", e);
                throw new SessionStoreUnavailableException("session store cannot connect to Redis at " + where
                        + ": " + e.getMessage() + cause(e), e);
            }
        }
    }

    /**
     * TLS for rediss:// URIs: the configured trust (or the JVM's default), peer verification as the URI says
     * (Lettuce's default: full, chain and host name), and a handshake bounded by the command timeout rather
     * than Lettuce's 10 s, so an untrusted or silent server fails a request as fast as any other Redis failure.
     */
    private SslOptions sslOptions(Duration timeout) {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider().handshakeTimeout(timeout);
        settings.tlsTrustManagers().ifPresent(b::trustManager);
        return b.build();
    }

    /** The root cause, which for TLS says what is wrong (untrusted certificate, wrong host, not TLS at all). */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e) {
            return "";
        }
        boolean tls = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            tls |= t instanceof javax.net.ssl.SSLException;
        }
        return " (" + (tls ? "TLS handshake failed: " : "") + root.getClass().getSimpleName() + ": " + root.getMessage()
                + (tls ? "; the server's certificate must chain to readiness.sessions.redis.tls.ca-file, "
                + "readiness.sessions.redis.tls.truststore or the JVM's trust store, and name the host in the URI)"
                : ")");
    }

    private static String describe(SessionSettings s) {
        List<String> hosts = new ArrayList<>();
        for (String u : s.cluster() ? s.redisUri().split(",") : new String[] {s.redisUri()}) {
            try {
                RedisURI uri = RedisURI.create(u.trim());
                if (uri.getSentinels() != null && !uri.getSentinels().isEmpty()) {
                    hosts.add("sentinel " + uri.getSentinelMasterId());
                } else {
                    hosts.add(uri.getHost() + ":" + uri.getPort());
                }
            } catch (IllegalArgumentException e) {
                throw new dev.readiness.core.config.ReadinessConfigException("readiness.sessions.redis.uri",
                        u.replaceAll("//([^@/]*)@", "//***@"), "is not a Redis URI: " + e.getMessage(), e);
            }
        }
        return String.join(",", hosts);
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

    private static byte[] ascii(String s) {
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

    @Override
    public String toString() {
        return "RedisSessionStore[" + where + ", codec=" + codec.name() + "]";
    }
}
