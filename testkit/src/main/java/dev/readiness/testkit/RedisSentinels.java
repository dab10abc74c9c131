package dev.readiness.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A master, a replica and three Sentinels watching them (quorum 2) on loopback, all real redis-server processes.
 * A master silent for {@link #DOWN_AFTER} is failed over to the replica within a few seconds. {@link #start()}
 * returns once the replica is in sync and carries writes, and every Sentinel knows the replica and the two other
 * Sentinels.
 */
public final class RedisSentinels implements AutoCloseable {

    /** The master name the Sentinels monitor. */
    public static final String MASTER = "sessions";
    /** The Sentinels' down-after-milliseconds. */
    public static final Duration DOWN_AFTER = Duration.ofSeconds(1);

    private final RedisServer master;
    private final RedisServer replica;
    private final List<RedisServer> sentinels;
    private final TcpProxy replicaLink;

    private RedisSentinels(RedisServer master, RedisServer replica, List<RedisServer> sentinels, TcpProxy replicaLink) {
        this.master = master;
        this.replica = replica;
        this.sentinels = sentinels;
        this.replicaLink = replicaLink;
    }

    /** Starts the set and waits until it is formed (at most 30 s). */
    public static RedisSentinels start() throws IOException {
        return start(false);
    }

    /**
     * As {@link #start()}, the replica replicating through a {@link TcpProxy} ({@link #replicaLink()}): pausing it
     * makes the replica lag (it receives nothing while the master acknowledges writes), as a slow or partitioned
     * network does; a master killed then takes the writes the replica never received with it. The Sentinels'
     * failover-timeout is 60 s here, so they leave the replica's link through the proxy alone (they reconfigure a
     * replica that names another master than theirs once failover-timeout has passed).
     */
    public static RedisSentinels startWithLaggableReplica() throws IOException {
        return start(true);
    }

    private static RedisSentinels start(boolean proxied) throws IOException {
        RedisServer master = null;
        RedisServer replica = null;
        TcpProxy link = null;
        List<RedisServer> sentinels = new ArrayList<>();
        try {
            String[] fast = {"--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"};
            master = RedisServer.start(fast);
            link = proxied ? TcpProxy.start("127.0.0.1", master.port()) : null;
            List<String> replicaArgs = new ArrayList<>(List.of(fast));
            replicaArgs.addAll(List.of("--replicaof", "127.0.0.1",
                    Integer.toString(link != null ? link.port() : master.port())));
            replica = RedisServer.start(replicaArgs.toArray(String[]::new));
            String conf = "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 2\n"
                    + "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER.toMillis() + "\n"
                    + "sentinel failover-timeout " + MASTER + " " + (proxied ? 60000 : 5000) + "\n"
                    + "sentinel parallel-syncs " + MASTER + " 1\n";
            for (int i = 0; i < 3; i++) {
                sentinels.add(RedisServer.startSentinel(conf));
            }
            RedisSentinels set = new RedisSentinels(master, replica, sentinels, link);
            set.awaitFormed(Duration.ofSeconds(30));
            RedisCluster.awaitCarried(master, "testkit-probe", Duration.ofSeconds(30));
            return set;
        } catch (IOException | RuntimeException e) {
            sentinels.forEach(RedisServer::close);
            if (replica != null) {
                replica.close();
            }
            if (link != null) {
                link.close();
            }
            if (master != null) {
                master.close();
            }
            throw e;
        }
    }

    /** The proxy the replica replicates through, for {@link #startWithLaggableReplica()}; otherwise null. */
    public TcpProxy replicaLink() {
        return replicaLink;
    }

    /** The node started as master (after a failover it is dead or a replica). */
    public RedisServer master() {
        return master;
    }

    /** The node started as replica. */
    public RedisServer replica() {
        return replica;
    }

    public List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /** {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#sessions}. */
    public String uri() {
        return "redis-sentinel://" + String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList())
                + "#" + MASTER;
    }

    /** The port of the master as the first live Sentinel names it now. */
    public int masterPort() throws IOException {
        for (RedisServer s : sentinels) {
            if (s.isAlive()) {
                String[] reply = s.command("SENTINEL", "get-master-addr-by-name", MASTER).split("\n");
                return Integer.parseInt(reply[1].trim());
            }
        }
        throw new IOException("no Sentinel is alive");
    }

    @Override
    public void close() {
        sentinels.forEach(RedisServer::close);
        replica.close();
        if (replicaLink != null) {
            replicaLink.close();
        }
        master.close();
    }

    private void awaitFormed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String r = replica.command("INFO", "replication");
            boolean ok = r.contains("master_link_status:up") && !r.contains("master_sync_in_progress:1");
            last = r;
            for (RedisServer s : sentinels) {
                String m = s.command("SENTINEL", "master", MASTER);
                ok &= field(m, "num-slaves").equals("1") && field(m, "num-other-sentinels").equals("2")
                        && field(m, "flags").equals("master");
                last = m;
            }
            if (ok) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the Sentinels formed", e);
            }
        }
        close();
        throw new IOException("the Sentinel set did not form within " + timeout + "; last: " + last);
    }

    /** A field of a SENTINEL MASTER reply (name and value on alternate lines). */
    private static String field(String reply, String name) {
        String[] lines = reply.split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (lines[i].equals(name)) {
                return lines[i + 1];
            }
        }
        return "";
    }
}
