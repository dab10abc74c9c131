package dev.readiness.sessions.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.protocol.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Redis's client tracking on the store's standalone (or Sentinel) connection, feeding the {@link NearCache}:
 * {@code invalidate} pushes reach the cache, a connect or disconnect flushes it, and tracking is turned on and
 * confirmed once per connection before the cache serves anything.
 */
final class ClientTracking {

    private static final Logger log = LoggerFactory.getLogger(ClientTracking.class);

    private final NearCache cache;
    private final String where;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean refused;
    private volatile StatefulRedisConnection<String, byte[]> connection;

    ClientTracking(NearCache cache, String where) {
        this.cache = cache;
        this.where = where;
    }

    NearCache cache() {
        return cache;
    }

    /** Listens on a new connection: invalidations to the cache, and a flush whenever it connects or drops. */
    void attach(StatefulRedisConnection<String, byte[]> conn) {
        conn.addListener(invalidations(cache));
        conn.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> ch, SocketAddress address) {
                cache.flush(); // a new connection tracks nothing until told to
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> ch) {
                cache.flush();
            }
        });
        connection = conn;
    }

    /**
     * Turns client tracking on for the current connection, once, in the background: {@code CLIENT TRACKING ON
     * NOLOOP}, then {@code CLIENT INFO} to confirm the connection speaks RESP3 and tracks. Until the confirmation
     * arrives every load reads Redis. A server that refuses (older than 6.2, RESP2 only, a proxy that does not
     * pass tracking through) turns the near cache off for good, with one warning; a connection problem leaves it
     * to the next load to try again.
     */
    void ensure() {
        StatefulRedisConnection<String, byte[]> conn = connection;
        if (conn == null || refused || cache.tracking() || !pending.compareAndSet(false, true)) {
            return;
        }
        long epoch = cache.epoch();
        try {
            RedisAsyncCommands<String, byte[]> a = conn.async();
            RedisFuture<String> on = a.clientTracking(TrackingArgs.Builder.enabled().noloop());
            RedisFuture<String> info = a.clientInfo();
            info.whenComplete((line, err) -> {
                pending.set(false);
                Throwable failure = on.toCompletableFuture().isCompletedExceptionally() ? cause(on) : err;
                if (failure == null && trackingConfirmed(line, negotiatedResp3(conn))) {
                    cache.trackingConfirmed(epoch);
                } else if (failure == null || failure instanceof RedisCommandExecutionException) {
                    refused = true;
                    cache.flush();
                    log.warn("readiness.sessions.redis.near-cache is off: Redis at {} does not offer client tracking"
                            + " over RESP3 (Redis 6.2 or later; {}); every load reads Redis", where,
                            failure != null ? failure.getMessage() : "CLIENT INFO: " + line);
                }
            });
        } catch (RuntimeException e) {
            pending.set(false); // rejected while disconnected: the next load tries again
        }
    }

    /** Whether loads are answered from the cache now (tracking confirmed on the current connection). */
    boolean serving() {
        return !refused && cache.tracking();
    }

    /** "refused" (Redis would not track) or what the cache holds. */
    String state() {
        return refused ? "refused" : cache.toString();
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

    private static boolean negotiatedResp3(StatefulRedisConnection<?, ?> conn) {
        return conn instanceof StatefulRedisConnectionImpl<?, ?> impl
                && impl.getConnectionState().getNegotiatedProtocolVersion() == ProtocolVersion.RESP3;
    }

    private static Throwable cause(RedisFuture<?> f) {
        try {
            f.toCompletableFuture().getNow(null);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }
}
