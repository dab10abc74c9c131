package dev.readiness.bench.probes;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.testkit.process.ForkedJvm;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One server of the probe benchmark in a JVM of its own, the way each runs in its own pod: {@code readiness}
 * (a management server with a Redis PING check in readiness, default options) or {@code boot}
 * ({@link BootAnchor}), or {@code floor}: one thread on non-blocking sockets that answers every request with the
 * same prepared bytes and closes, the least any HTTP server can do, so what the driver measures against it is the
 * cost of the machine, the kernel and the driver themselves. Arguments: the variant and the Redis port. Prints {@code LISTENING <port>} once it
 * listens on an ephemeral loopback port, then serves until killed.
 */
public final class ProbeServer {

    private ProbeServer() {
    }

    /** Starts {@code variant} in a JVM of its own on this JVM's class path. */
    static ForkedJvm fork(String variant, int redisPort) throws IOException {
        return ForkedJvm.start(variant,
                ForkedJvm.currentClasspath(), ProbeServer.class.getName(),
                Map.of(), List.of(), false, variant, Integer.toString(redisPort));
    }

    /** Waits for a forked server's {@code LISTENING <port>} line and returns the port. */
    static int port(ForkedJvm server, Duration within)
            throws InterruptedException {
        return Integer.parseInt(server.await("LISTENING (\\d+)", within));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ProbeServer readiness|boot <redis port>");
        }
        int redisPort = Integer.parseInt(args[1]);
        int port = switch (args[0]) {
            case "readiness" -> readiness(redisPort);
            case "boot" -> BootAnchor.port(BootAnchor.start(redisPort));
            case "floor" -> floor();
            default -> throw new IllegalArgumentException("unknown variant " + args[0] + "; readiness, boot or floor");
        };
        System.out.println("LISTENING " + port);
        Thread.currentThread().join(); // serve until killed
    }

    private static final byte[] FIXED = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15"
            + "\r\nConnection: close\r\n\r\n{\"status\":\"UP\"}").getBytes(StandardCharsets.US_ASCII);

    private static int floor() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.configureBlocking(false);
        Selector selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    selector.select();
                    for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        var key = it.next();
                        it.remove();
                        if (key.isAcceptable()) {
                            SocketChannel c;
                            while ((c = server.accept()) != null) {
                                c.configureBlocking(false);
                                c.register(selector, SelectionKey.OP_READ,
                                        ByteBuffer.allocate(4096));
                            }
                        } else if (key.isReadable()) {
                            var c = (SocketChannel) key.channel();
                            var buffer = (ByteBuffer) key.attachment();
                            int n;
                            try {
                                n = c.read(buffer);
                            } catch (IOException e) {
                                n = -1;
                            }
                            if (n < 0 || !buffer.hasRemaining()) {
                                c.close();
                            } else if (endOfHead(buffer)) {
                                key.cancel();
                                c.write(ByteBuffer.wrap(FIXED)); // fits a loopback send buffer at once
                                c.close();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "floor-server");
        t.setDaemon(true);
        t.start();
        return server.socket().getLocalPort();
    }

    private static boolean endOfHead(ByteBuffer b) {
        int p = b.position();
        return p >= 4 && b.get(p - 4) == '\r' && b.get(p - 3) == '\n' && b.get(p - 2) == '\r' && b.get(p - 1) == '\n';
    }

    private static int readiness(int redisPort) {
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        HealthRegistry registry = HealthRegistry.create();
        registry.readiness("redis", RedisPingCheck.of(lettuce.connect()), CheckOptions.defaults()).start();
        registry.markStarted();
        return ManagementServer.builder(registry).host("127.0.0.1").port(0).start().port();
    }
}
