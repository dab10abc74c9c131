package dev.readiness.sessions.redis;

import dev.readiness.core.check.ConnectionSignals;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStoreUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
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

import javax.net.ssl.SSLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store's one Lettuce connection, opened on first use: standalone ({@code redis://}, {@code rediss://}),
 * Sentinel ({@code redis-sentinel://}) or Redis Cluster (comma-separated seeds). Commands fail after the command
 * timeout, and at once while the connection is down (no queueing), so a request never hangs on Redis. After a
 * drop, Lettuce reconnects with an exponential backoff capped at {@code readiness.sessions.redis.reconnect-max-delay}
 * (1 s by default, jittered under the cap: {@link ReconnectDelay}) instead of its own 30 s cap, so sessions serve again within about a second of
 * Redis's return rather than after the backoff Lettuce had reached.
 * <p>
 * A first connection that fails is not tried again by every request: for {@code reconnect-max-delay} after a
 * failed attempt, requests fail at once with that attempt's reason, so a Redis that is down when the service starts
 * costs one request per second a connect timeout, not every request. The standalone and Sentinel connection's
 * Lettuce state events go to the readiness check ({@link #watch(ConnectionSignals)}); a cluster's node connections
 * are left to the check's evaluations.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final SessionSettings settings;
    private final SessionEvents events;
    private final String where;
    private final ClientTracking tracking;

    private final Object lock = new Object();
    private volatile AbstractRedisClient client;
    private volatile ClientResources resources;
    private volatile StatefulConnection<String, byte[]> connection;
    private volatile RedisClusterAsyncCommands<String, byte[]> async;
    private volatile boolean closed;
    private volatile ConnectionSignals signals;
    private final java.util.concurrent.atomic.AtomicInteger timeoutsInARow = new java.util.concurrent.atomic.AtomicInteger();
    /** While set and not past: Redis is known not to answer, and requests fail at once with its reason. */
    private volatile FailingFast failingFast;

    /** Until when requests fail at once, and why: a failed connect, or commands that went unanswered. */
    private record FailingFast(long untilNanos, String reason) {
    }
    private final java.util.concurrent.atomic.AtomicLong connects = new java.util.concurrent.atomic.AtomicLong();
    private final RedisConnectionStateListener listener = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, java.net.SocketAddress address) {
            connects.incrementAndGet();
            ConnectionSignals s = signals;
            if (s != null) {
                s.restored();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            ConnectionSignals s = signals;
            if (s != null) {
                s.lost("the session store's connection to Redis at " + where + " closed");
            }
        }
    };

    /** @param tracking told of each standalone connection, or null without a near cache */
    RedisConnection(SessionSettings settings, SessionEvents events, String where, ClientTracking tracking) {
        this.settings = settings;
        this.events = events;
        this.where = where;
        this.tracking = tracking;
    }

    /** The commands of the current connection, connecting first if there is none yet. */
    RedisClusterAsyncCommands<String, byte[]> commands() {
        RedisClusterAsyncCommands<String, byte[]> c = async;
        if (c == null) {
            connect();
            c = async;
        }
        return c;
    }

    /** The Redis Cluster connection, or null for standalone and Sentinel, or before the first connect. */
    StatefulRedisClusterConnection<String, byte[]> cluster() {
        return connection instanceof StatefulRedisClusterConnection<String, byte[]> c ? c : null;
    }

    /**
     * How many times the connection was made, 1 for the first: a new number means a new connection, to a Redis
     * that may have restarted (and lost its script cache) meanwhile. Standalone and Sentinel count reconnects; a
     * cluster's node connections are not counted.
     */
    long connects() {
        return connects.get();
    }

    /** A command answered: Redis is not hung. */
    void answered() {
        if (failingFast != null || timeoutsInARow.get() != 0) {
            timeoutsInARow.set(0);
            failingFast = null;
        }
    }

    /**
     * A command was not answered within the command timeout. From the second in a row on, the store fails
     * requests at once for {@code reconnect-max-delay} (or until a command, such as the readiness check's PING,
     * is answered), so a hung Redis costs one request per second a command timeout, not every request. Not for a
     * Redis Cluster: a node that stopped answering (killed, not yet failed over) costs the requests for its slots a
     * command timeout each, and the other masters' sessions go on being served.
     */
    void timedOut() {
        if (settings.cluster()) {
            // one node's silence says nothing of the others: failing fast would fail their sessions too
            return;
        }
        int inARow = timeoutsInARow.incrementAndGet();
        if (inARow >= 2) {
            failFastFor("Redis at " + where + " did not answer " + inARow + " commands in a row within "
                    + settings.commandTimeout().toMillis() + " ms (readiness.sessions.redis.command-timeout); the"
                    + " next attempt in at most " + settings.reconnectMaxDelay().toMillis()
                    + " ms (readiness.sessions.redis.reconnect-max-delay)");
        }
    }

    private void failFastFor(String reason) {
        failingFast = new FailingFast(System.nanoTime() + settings.reconnectMaxDelay().toNanos(), reason);
    }

    /**
     * @throws SessionStoreUnavailableException at once while Redis is known not to answer: a connect failed, or
     *                                          commands went unanswered, less than {@code reconnect-max-delay} ago
     */
    void failFastWhileDown(String operation) {
        FailingFast f = failingFast;
        if (f != null && System.nanoTime() - f.untilNanos() < 0) {
            throw new SessionStoreUnavailableException("session store " + operation + " failed at once: "
                    + f.reason(), null);
        }
    }

    /** Passes the connection's state events to {@code s} (standalone and Sentinel); the returned handle stops it. */
    AutoCloseable watch(ConnectionSignals s) {
        signals = s;
        return () -> signals = null;
    }

    private void connect() {
        failFastWhileDown("connect");
        synchronized (lock) {
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
                if (resources == null) {
                    resources = DefaultClientResources.builder()
                            .reconnectDelay(new ReconnectDelay(settings.reconnectMaxDelay()))
                            .build();
                }
                if (settings.cluster()) {
                    List<RedisURI> seeds = new ArrayList<>();
                    for (String u : settings.redisUri().split(",")) {
                        RedisURI uri = RedisURI.create(u.trim());
                        uri.setTimeout(timeout);
                        seeds.add(uri);
                    }
                    RedisClusterClient c = client == null ? RedisClusterClient.create(resources, seeds)
                            : (RedisClusterClient) client;
                    client = c;
                    // Node connections open on first use, so commands may not be rejected while a node connects
                    // (REJECT_COMMANDS fails the first command to each node); the command timeout still bounds
                    // every call. The topology is read again after the first failed reconnect, a MOVED or ASK, an
                    // uncovered slot or an unknown node, at most once per reconnect-max-delay: Lettuce's default is
                    // once per 30 s, so a refresh made before the replica was promoted left its slots on the dead
                    // master for up to 30 s more.
                    c.setOptions(ClusterClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts)
                            .sslOptions(ssl)
                            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                    .enableAllAdaptiveRefreshTriggers()
                                    .adaptiveRefreshTriggersTimeout(settings.reconnectMaxDelay())
                                    .refreshTriggersReconnectAttempts(1)
                                    .build())
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
                    RedisClient c = client == null ? RedisClient.create(resources, uri) : (RedisClient) client;
                    client = c;
                    c.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl)
                            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
                    StatefulRedisConnection<String, byte[]> conn = c.connect(CODEC, uri);
                    if (tracking != null) {
                        tracking.attach(conn);
                    }
                    conn.addListener(listener);
                    connection = conn;
                    async = conn.async();
                    ConnectionSignals s = signals;
                    if (s != null) {
                        s.restored();
                    }
                }
                connects.incrementAndGet();
                failingFast = null;
            } catch (RedisException e) {
                events.failed("connect", "connection", e);
                String failure = "cannot connect to Redis at " + where + ": " + e.getMessage() + cause(e);
                failFastFor(failure + " (tried again at most every " + settings.reconnectMaxDelay().toMillis()
                        + " ms, readiness.sessions.redis.reconnect-max-delay)");
                throw new SessionStoreUnavailableException("session store " + failure, e);
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
            tls |= t instanceof SSLException;
        }
        return " (" + (tls ? "TLS handshake failed: " : "") + root.getClass().getSimpleName() + ": " + root.getMessage()
                + (tls ? "; the server's certificate must chain to readiness.sessions.redis.tls.ca-file, "
                + "readiness.sessions.redis.tls.truststore or the JVM's trust store, and name the host in the URI)"
                : ")");
    }

    /**
     * Where the settings point, for messages: {@code host:port} per node, or {@code sentinel <master>}; never
     * the password.
     *
     * @throws ReadinessConfigException if the URI is not one Lettuce reads
     */
    static String describe(SessionSettings s) {
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
                throw new ReadinessConfigException("readiness.sessions.redis.uri",
                        u.replaceAll("//([^@/]*)@", "//***@"), "is not a Redis URI: " + e.getMessage(), e);
            }
        }
        return String.join(",", hosts);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connection != null) {
                connection.close();
            }
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            if (resources != null) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }
}
