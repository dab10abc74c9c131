package dev.readiness.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of three masters and no replicas on loopback, made of real {@link RedisServer} processes:
 * slots are assigned with CLUSTER ADDSLOTS and the nodes joined with CLUSTER MEET (works with redis-server
 * 6.2, no redis-cli needed). Starts in a few seconds.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts three masters, assigns the 16384 slots evenly and waits until every node reports cluster_state:ok. */
    public static RedisCluster start() throws IOException {
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int port = portWithFreeBusPort();
                nodes.add(RedisServer.start(port, "--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes-" + port + ".conf", "--cluster-node-timeout", "5000"));
            }
            int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
            for (int i = 0; i < 3; i++) {
                List<String> cmd = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int s = ranges[i][0]; s <= ranges[i][1]; s++) {
                    cmd.add(Integer.toString(s));
                }
                expectOk(nodes.get(i).command(cmd.toArray(String[]::new)));
            }
            for (int i = 1; i < 3; i++) {
                expectOk(nodes.get(0).command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port())));
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.awaitOk(Duration.ofSeconds(30));
            return cluster;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(RedisServer::close);
            throw e;
        }
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** Comma-separated seed URIs, {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,...}. */
    public String uris() {
        return String.join(",", nodes.stream().map(RedisServer::uri).toList());
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }

    private void awaitOk(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ok = true;
            for (RedisServer n : nodes) {
                String info = n.command("CLUSTER", "INFO");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3");
            }
            if (ok) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the cluster formed", e);
            }
        }
        close();
        throw new IOException("the Redis cluster did not reach cluster_state:ok within " + timeout);
    }

    /** The cluster bus listens on port + 10000, so the port must leave room for it and the bus port be free. */
    private static int portWithFreeBusPort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = RedisServer.freePort();
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
