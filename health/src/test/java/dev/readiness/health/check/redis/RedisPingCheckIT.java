package dev.readiness.health.check.redis;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.HangScenarios;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A real redis-server process, hung with SIGSTOP. */
class RedisPingCheckIT {

    private RedisServer redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private HealthRegistry registry;
    private ManagementServer server;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect(); // Lettuce's default command timeout: 60 s
        registry = HealthRegistry.create();
        server = ManagementServer.builder(registry).host("127.0.0.1").port(0).details(true).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (redis != null) {
            redis.close(); // resumes a paused server first
        }
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void pingsRedisAndReportsLatency() throws Exception {
        CheckResult r = RedisPingCheck.of(connection).check(Duration.ofSeconds(2));
        assertThat(r.isUp()).isTrue();
        assertThat(r.details()).containsKey("latencyMs");
    }

    @Test
    void livenessStaysUpAndReadinessTurnsDownWhileRedisHangs() {
        registry.readiness("redis", RedisPingCheck.of(connection), HangScenarios.OPTIONS).start();
        registry.markStarted();
        HangScenarios.of(server).run(registry, redis::pause, redis::resume);
    }

    @Test
    void aHungPingIsDownWithinTheCheckTimeoutNotLettucesCommandTimeout() throws Exception {
        redis.pause();
        long start = System.nanoTime();
        CheckResult r = RedisPingCheck.of(connection).check(Duration.ofMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.isUp()).isFalse();
        assertThat(r.message()).isEqualTo("no reply to PING within 300 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aKilledRedisIsDownAndAClosedConnectionIsDown() throws Exception {
        redis.kill();
        CheckResult r = RedisPingCheck.of(connection).check(Duration.ofMillis(500));
        assertThat(r.isUp()).isFalse();
        connection.close();
        assertThat(RedisPingCheck.of(connection).check(Duration.ofMillis(500)).message())
                .isEqualTo("connection is not open");
    }
}
