package dev.readiness.sessions.redis;

import dev.readiness.testkit.FreePorts;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Password, ACL user and Sentinel, each against real redis-server processes. */
class ConnectionModesIT {

    static void roundTrip(SessionSettings settings) {
        try (RedisSessionStore store = RedisSessionStore.create(settings)) {
            String id = new SessionIds().next();
            store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(1), Map.of("user", "ada"), Set.of()));
            assertThat(store.load(id).orElseThrow().attributes()).containsEntry("user", "ada");
        }
    }

    @Test
    void anAclUserWithAPasswordConnectsAndAWrongPasswordIsAClearErrorThatDoesNotEchoIt() throws Exception {
        try (RedisServer redis = RedisServer.start("--user", "sessions", "on", ">s3cret-pw", "~readiness:session:*",
                "+@all")) {
            roundTrip(SessionSettings.builder().redisUri("redis://sessions:s3cret-pw@127.0.0.1:" + redis.port()).build());
            SessionSettings wrong = SessionSettings.builder()
                    .redisUri("redis://sessions:wrong-pw@127.0.0.1:" + redis.port()).build();
            try (RedisSessionStore store = RedisSessionStore.create(wrong)) {
                assertThatThrownBy(() -> store.load(new SessionIds().next()))
                        .isInstanceOf(SessionStoreUnavailableException.class)
                        .hasMessageNotContaining("wrong-pw");
                assertThat(store.readinessCheck().check(Duration.ofSeconds(1)).isUp()).isFalse();
            }
        }
    }

    @Test
    void aRequirePassServerAcceptsThePasswordFromTheUri() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", "hunter2")) {
            roundTrip(SessionSettings.builder().redisUri("redis://:hunter2@127.0.0.1:" + redis.port()).build());
        }
    }

    @Test
    void sentinelResolvesTheMasterAndTheStoreWorksThroughIt() throws Exception {
        try (RedisServer master = RedisServer.start()) {
            int port = FreePorts.next();
            Path dir = Files.createTempDirectory("sentinel");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nprotected-mode no\ndir " + dir + "\n"
                    + "sentinel monitor sessions 127.0.0.1 " + master.port() + " 1\n");
            Process sentinel = new ProcessBuilder(RedisServer.binary().toString(), conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> sentinelKnowsMaster(port));
                // The first sentinel is down: Lettuce asks the next one.
                int dead = FreePorts.next();
                roundTrip(SessionSettings.builder().redisUri("redis-sentinel://127.0.0.1:" + dead + ",127.0.0.1:" + port
                        + "#sessions").build());
            } finally {
                sentinel.destroy();
                if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                    sentinel.destroyForcibly();
                }
            }
        }
    }

    private static boolean sentinelKnowsMaster(int port) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write("SENTINEL get-master-addr-by-name sessions\r\n".getBytes());
            byte[] buf = new byte[256];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n).contains("127.0.0.1");
        }
    }
}
