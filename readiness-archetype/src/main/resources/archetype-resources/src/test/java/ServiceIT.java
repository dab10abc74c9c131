package ${package};

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as Kubernetes runs it: the repackaged jar started as a process through the gc-tuning entrypoint,
 * on free ports, talked to over the network. With a real redis-server: the probes, a session counted, and a
 * SIGTERM that drains and exits 0. Without a Redis: started, saying so, and unready.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServiceIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void servesProbesAndSessionsThenDrainsOnSigterm() throws Exception {
        try (Service service = Service.start(Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri()))) {
            service.await(START, () -> service.status(service.management, "/readyz") == 200);
            assertThat(service.status(service.management, "/livez")).isEqualTo(200);
            assertThat(service.get(service.port, "/").body()).isEqualTo("hello from ${artifactId}");
            assertThat(service.get(service.port, "/session/counter").body()).isEqualTo("1");
            assertThat(service.get(service.port, "/session/counter").body()).isEqualTo("2");
            assertThat(service.get(service.management, "/metrics").body()).contains("readiness_");
            service.process.destroy();
            assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(service.process.exitValue()).as(service.log()).isZero();
            assertThat(service.log()).contains("drain phase 4/4 stopped");
        }
    }

    @Test
    void withoutARedisStartsSaysSoAndStaysUnready() throws Exception {
        try (Service service = Service.start(Map.of())) {
            service.await(START, () -> service.status(service.management, "/startupz") == 200);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> service.status(service.management, "/readyz") == 503);
            assertThat(service.log()).contains("no Redis is configured", "READINESS_SESSIONS_REDIS_URI");
        }
    }

    /** The jar as a process, its log in a file, stopped by close() whatever the test did. */
    private static final class Service implements AutoCloseable {

        final Process process;
        final Path log;
        final int port;
        final int management;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(2)).build();

        private Service(Process process, Path log, int port, int management) {
            this.process = process;
            this.log = log;
            this.port = port;
            this.management = management;
        }

        static Service start(Map<String, String> env) throws IOException {
            Path jar = Path.of(System.getProperty("service.jar"));
            Path entrypoint = jar.resolveSibling("entrypoint").resolve("readiness-gc-entrypoint.sh");
            int port = FreePorts.next();
            int management = FreePorts.next();
            List<String> cmd = new ArrayList<>(List.of("sh", entrypoint.toString(),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
            Path log = Files.createTempFile("service-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("READINESS_") || k.startsWith("SERVER_"));
            Map<String, String> all = new HashMap<>(env);
            all.put("SERVER_PORT", Integer.toString(port));
            all.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
            // Plain http on loopback: a Secure session cookie would never be sent back.
            all.put("READINESS_SESSIONS_COOKIE_SECURE", "false");
            all.put("READINESS_GC_MEMORY_LIMIT", "768Mi");
            pb.environment().putAll(all);
            return new Service(pb.start(), log, port, management);
        }

        HttpResponse<String> get(int onPort, String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + onPort + path))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        int status(int onPort, String path) {
            try {
                return get(onPort, path).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        void await(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
            try {
                org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                        .failFast("the service exited", () -> !process.isAlive()).until(condition);
            } catch (RuntimeException e) {
                throw new AssertionError(e.getMessage() + "; log:\n" + log(), e);
            }
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
