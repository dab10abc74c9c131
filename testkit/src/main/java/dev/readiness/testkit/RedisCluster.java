package dev.readiness.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Redis Cluster of three masters on loopback, made of real {@link RedisServer} processes: slots are assigned with
 * CLUSTER ADDSLOTS and the nodes joined with CLUSTER MEET (works with redis-server 6.2, no redis-cli needed).
 * {@link #start()} has no replicas; {@link #startWithReplicas()} gives each master one replica and a node timeout
 * of one second, so a master that is killed is replaced by its replica within a few seconds. Either returns only
 * once the topology is formed (every node sees every other, every slot covered, each replica in sync).
 */
public final class RedisCluster implements AutoCloseable {

    /** The node timeout of {@link #startWithReplicas()}: a master silent this long is failed over. */
    public static final Duration FAILOVER_NODE_TIMEOUT = Duration.ofSeconds(1);

    private static final int[][] RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

    private final List<RedisServer> nodes;
    private final List<RedisServer> replicas;
    /** Node id per port, read once the node is up (ids survive a failover; a killed node keeps its id). */
    private final Map<Integer, String> ids = new ConcurrentHashMap<>();

    private RedisCluster(List<RedisServer> nodes, List<RedisServer> replicas) {
        this.nodes = nodes;
        this.replicas = replicas;
    }

    /** Starts three masters, assigns the 16384 slots evenly and waits until every node reports cluster_state:ok. */
    public static RedisCluster start() throws IOException {
        return start(false);
    }

    /**
     * Starts three masters and one replica of each ({@code cluster-node-timeout} {@link #FAILOVER_NODE_TIMEOUT}),
     * and waits until every node knows all six, reports cluster_state:ok, and each replica's link to its master is
     * up with the initial sync done, and a write on each master has reached its replica.
     */
    public static RedisCluster startWithReplicas() throws IOException {
        return start(true);
    }

    private static RedisCluster start(boolean withReplicas) throws IOException {
        List<RedisServer> masters = new ArrayList<>();
        List<RedisServer> replicas = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(masters, replicas);
        try {
            String timeout = Long.toString(withReplicas ? FAILOVER_NODE_TIMEOUT.toMillis() : 5000);
            for (int i = 0; i < (withReplicas ? 6 : 3); i++) {
                int port = portWithFreeBusPort();
                RedisServer n = RedisServer.start(port, "--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes-" + port + ".conf", "--cluster-node-timeout", timeout,
                        // a replica syncs over the socket at once, not after the default 5 s delay
                        "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0");
                (i < 3 ? masters : replicas).add(n);
            }
            for (int i = 0; i < 3; i++) {
                List<String> cmd = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int s = RANGES[i][0]; s <= RANGES[i][1]; s++) {
                    cmd.add(Integer.toString(s));
                }
                expectOk(masters.get(i).command(cmd.toArray(String[]::new)));
            }
            for (RedisServer n : cluster.all()) {
                cluster.ids.put(n.port(), n.command("CLUSTER", "MYID").trim());
                if (n != masters.get(0)) {
                    expectOk(masters.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(n.port())));
                }
            }
            cluster.awaitFormed(Duration.ofSeconds(30), false);
            for (int i = 0; i < replicas.size(); i++) {
                expectOk(replicas.get(i).command("CLUSTER", "REPLICATE", cluster.id(masters.get(i))));
            }
            cluster.awaitFormed(Duration.ofSeconds(30), withReplicas);
            for (int i = 0; i < replicas.size(); i++) {
                awaitCarried(masters.get(i), probeKey(RANGES[i][0], RANGES[i][1]), Duration.ofSeconds(30));
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The three nodes started as masters (after a failover one of them may be a replica, or dead). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The replicas, the i-th of the i-th master of {@link #nodes()}; empty for {@link #start()}. */
    public List<RedisServer> replicas() {
        return List.copyOf(replicas);
    }

    /** Every node started, masters first. */
    public List<RedisServer> all() {
        List<RedisServer> all = new ArrayList<>(nodes);
        all.addAll(replicas);
        return all;
    }

    /**
     * Writes {@code key} on {@code master} and waits until its replica acknowledged the write. A replica whose link is
     * up may not carry writes yet: after a diskless sync the master buffers them until the replica's first
     * acknowledgement (up to a second later), so a WAIT in that window answers 0.
     */
    static void awaitCarried(RedisServer master, String key, Duration timeout) throws IOException {
        if (!master.command("SET", key, "1").startsWith("+OK")) {
            throw new IOException("cannot write " + key + " on " + master.port());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String info = "";
        while (System.nanoTime() < deadline) {
            info = master.command("INFO", "replication");
            long offset = -1;
            long acked = -1;
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("master_repl_offset:")) {
                    offset = Long.parseLong(line.substring("master_repl_offset:".length()).trim());
                } else if (line.startsWith("slave0:")) {
                    int i = line.indexOf("offset=") + "offset=".length();
                    acked = Long.parseLong(line.substring(i, line.indexOf(',', i)));
                }
            }
            if (offset > 0 && acked >= offset) {
                master.command("DEL", key);
                return;
            }
            pause();
        }
        throw new IOException("the replica of " + master.port() + " did not acknowledge a write within " + timeout
                + "; " + info);
    }

    /** A key whose slot is between {@code lo} and {@code hi}. */
    private static String probeKey(int lo, int hi) {
        for (int n = 0; ; n++) {
            String key = "testkit-probe{" + n + "}";
            int slot = slot(key);
            if (slot >= lo && slot <= hi) {
                return key;
            }
        }
    }

    /** The node id of {@code node}. */
    public String id(RedisServer node) {
        return ids.get(node.port());
    }

    /** The slot of {@code key} (CRC16 of its hash tag, as every Redis Cluster client computes it). */
    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        byte[] b = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % 16384;
    }

    /**
     * The node that serves {@code slot} now, as the first live node's CLUSTER NODES says.
     *
     * @throws IOException if that is a node no longer alive (not yet failed over), or none
     */
    public RedisServer masterOf(int slot) throws IOException {
        for (RedisServer asked : all()) {
            if (!asked.isAlive()) {
                continue;
            }
            String[] lines = asked.command("CLUSTER", "NODES").split("\n");
            for (String line : lines) {
                String[] f = line.trim().split(" ");
                if (f.length < 8 || !f[2].contains("master") || f[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String r = f[i];
                    if (r.startsWith("[")) {
                        continue; // a slot being migrated or imported
                    }
                    int dash = r.indexOf('-');
                    int lo = Integer.parseInt(dash < 0 ? r : r.substring(0, dash));
                    int hi = dash < 0 ? lo : Integer.parseInt(r.substring(dash + 1));
                    if (slot >= lo && slot <= hi) {
                        for (RedisServer n : all()) {
                            if (f[0].equals(id(n)) && n.isAlive()) {
                                return n;
                            }
                        }
                        throw new IOException("slot " + slot + " is still assigned to " + f[1] + ", which is dead");
                    }
                }
            }
            break;
        }
        throw new IOException("no live master serves slot " + slot);
    }

    /**
     * Moves {@code slot} with its keys from {@code from} to {@code to} while clients use it, as
     * {@code redis-cli --cluster reshard} does: IMPORTING on the target, MIGRATING on the source, MIGRATE of the
     * keys in batches of {@code batch} (a client asking for a key already moved gets ASK), then CLUSTER SETSLOT NODE on
     * every master (clients then get MOVED). Returns the number of keys moved.
     */
    public int moveSlot(int slot, RedisServer from, RedisServer to, int batch) throws IOException {
        return moveSlot(slot, from, to, batch, Duration.ZERO);
    }

    /**
     * As {@link #moveSlot(int, RedisServer, RedisServer, int)}, pausing {@code pause} after each batch: the keys
     * moved so far are then answered with ASK by the source for that long, as in a reshard of a large slot.
     */
    public int moveSlot(int slot, RedisServer from, RedisServer to, int batch, Duration pause) throws IOException {
        String s = Integer.toString(slot);
        expectOk(to.command("CLUSTER", "SETSLOT", s, "IMPORTING", id(from)));
        expectOk(from.command("CLUSTER", "SETSLOT", s, "MIGRATING", id(to)));
        int moved = 0;
        while (true) {
            String keys = from.command("CLUSTER", "GETKEYSINSLOT", s, Integer.toString(batch));
            List<String> names = keys.isBlank() ? List.of() : List.of(keys.split("\n"));
            if (names.isEmpty()) {
                break;
            }
            List<String> cmd = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0",
                    "5000", "KEYS"));
            cmd.addAll(names);
            String reply = from.command(cmd.toArray(String[]::new));
            if (!reply.startsWith("+OK") && !reply.startsWith("+NOKEY")) {
                throw new IOException("MIGRATE of slot " + slot + " failed: " + reply);
            }
            moved += names.size();
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while moving slot " + slot, e);
                }
            }
        }
        // the target first, so that no MOVED ever points at a node that does not yet own the slot
        expectOk(to.command("CLUSTER", "SETSLOT", s, "NODE", id(to)));
        expectOk(from.command("CLUSTER", "SETSLOT", s, "NODE", id(to)));
        for (RedisServer n : nodes) {
            if (n != from && n != to && n.isAlive() && n.command("ROLE").startsWith("master")) {
                expectOk(n.command("CLUSTER", "SETSLOT", s, "NODE", id(to)));
            }
        }
        return moved;
    }

    /** Comma-separated seed URIs of the masters, {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,...}. */
    public String uris() {
        return String.join(",", nodes.stream().map(RedisServer::uri).toList());
    }

    /**
     * Waits until the live nodes agree again after a failover: cluster_state:ok on each, and every slot served by a
     * live master.
     */
    public void awaitHealthy(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisServer n : all()) {
                if (n.isAlive()) {
                    ok &= n.command("CLUSTER", "INFO").contains("cluster_state:ok");
                }
            }
            if (ok) {
                try {
                    for (int[] r : RANGES) {
                        masterOf(r[0]);
                        masterOf(r[1]);
                    }
                    return;
                } catch (IOException notYet) {
                    // a dead master still listed as serving: not yet
                }
            }
            pause();
        }
        throw new IOException("the Redis cluster did not recover within " + timeout);
    }

    @Override
    public void close() {
        all().forEach(RedisServer::close);
    }

    private void awaitFormed(Duration timeout, boolean replicasInSync) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int known = all().size();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisServer n : all()) {
                String info = n.command("CLUSTER", "INFO");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + known);
                last = info;
            }
            if (ok && replicasInSync) {
                for (int i = 0; i < replicas.size(); i++) {
                    String r = replicas.get(i).command("INFO", "replication");
                    ok &= r.contains("master_link_status:up") && r.contains("master_port:" + nodes.get(i).port())
                            && !r.contains("master_sync_in_progress:1");
                    last = r;
                    // and every node has heard of the new roles, so a failover can be voted on at once
                    String replicaOf = "slave " + id(nodes.get(i));
                    for (RedisServer n : all()) {
                        ok &= n.command("CLUSTER", "NODES").lines().filter(l -> l.contains(replicaOf)).count() == 1;
                    }
                }
            }
            if (ok) {
                return;
            }
            pause();
        }
        throw new IOException("the Redis cluster did not form within " + timeout + "; last: " + last);
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the cluster", e);
        }
    }

    /** The cluster bus listens on port + 10000, so the port must leave room for it and the bus port be free. */
    private static int portWithFreeBusPort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = FreePorts.next();
            if (p + 10000 > 65535) {
                p = 20000 + (p % 30000);
            }
            if (free(p) && free(p + 10000)) {
                return p;
            }
        }
        throw new IOException("no free port pair (p, p + 10000) on loopback");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void expectOk(String reply) throws IOException {
        if (!reply.startsWith("+OK")) {
            throw new IOException("unexpected cluster setup reply: " + reply);
        }
    }
}
