package dev.readiness.bench.probes;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.health.management.ManagementServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * One server of the probe benchmark in a JVM of its own, the way each runs in its own pod: {@code readiness}
 * (a management server with a Redis PING check in readiness, default options) or {@code boot}
 * ({@link BootAnchor}). Arguments: the variant and the Redis port. Prints {@code LISTENING <port>} once it
 * listens on an ephemeral loopback port, then serves until killed.
 */
public final class ProbeServer {

    private ProbeServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ProbeServer readiness|boot <redis port>");
        }
        int redisPort = Integer.parseInt(args[1]);
        int port = switch (args[0]) {
            case "readiness" -> readiness(redisPort);
            case "boot" -> BootAnchor.port(BootAnchor.start(redisPort));
            default -> throw new IllegalArgumentException("unknown variant " + args[0] + "; readiness or boot");
        };
        System.out.println("LISTENING " + port);
        Thread.currentThread().join(); // serve until killed
    }

    private static int readiness(int redisPort) {
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        HealthRegistry registry = HealthRegistry.create();
        registry.readiness("redis", RedisPingCheck.of(lettuce.connect()), CheckOptions.defaults()).start();
        registry.markStarted();
        return ManagementServer.builder(registry).host("127.0.0.1").port(0).start().port();
    }
}
