package dev.readiness.spring.boot.minimal;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.Haproxy;
import dev.readiness.testkit.process.ForkedJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's scaling signals as a user meets them: a brand-new Spring Boot application ({@link MinimalApplication},
 * only the starter added) run as a process (on the servlet container Boot picks from this class path, Jetty or
 * Tomcat, with at most 8 or 4 threads) with {@code readiness.agent.enabled=true} and a built-in
 * warm-up, behind Debian's real HAProxy (a machine without it fails here): the warm-up runs before readiness turns
 * UP, {@code /metrics} carries {@code readiness_saturation}, HAProxy's weight falls to its minimum while 16 slow
 * requests hold and queue on the server's threads, and on SIGTERM HAProxy shows the server DRAIN before its httpchk on {@code /readyz}
 * fails; the process exits 0.
 */
class ScalingApplicationIT {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void warmUpAgentWeightAndDrainBehindHaproxy() throws Exception {
        Haproxy.binary(); // fails, naming the package, before anything starts
        int app = FreePorts.next();
        int management = FreePorts.next();
        int agent = FreePorts.next();
        int frontend = FreePorts.next();
        Map<String, String> env = Map.ofEntries(
                Map.entry("SERVER_PORT", Integer.toString(app)),
                Map.entry("SERVER_ADDRESS", "127.0.0.1"),
                Map.entry("SERVER_TOMCAT_THREADS_MAX", "4"),
                Map.entry("SERVER_TOMCAT_THREADS_MIN_SPARE", "4"),
                Map.entry("SERVER_JETTY_THREADS_MAX", "8"),
                Map.entry("SERVER_JETTY_THREADS_MIN", "8"),
                Map.entry("READINESS_MANAGEMENT_PORT", Integer.toString(management)),
                Map.entry("READINESS_MANAGEMENT_HOST", "127.0.0.1"),
                Map.entry("READINESS_AGENT_ENABLED", "true"),
                Map.entry("READINESS_AGENT_PORT", Integer.toString(agent)),
                Map.entry("READINESS_AGENT_HOST", "127.0.0.1"),
                Map.entry("READINESS_WARMUP_PATHS", "/"),
                Map.entry("READINESS_WARMUP_REQUESTS", "50"),
                Map.entry("READINESS_DRAIN_ENABLED", "true"),
                Map.entry("READINESS_DRAIN_PROPAGATION_DELAY", "3s"),
                Map.entry("READINESS_DRAIN_TIMEOUT", "10s"));
        String config = Haproxy.httpConfig(frontend, 1000, """
                  option httpchk GET /readyz
                  server s1 127.0.0.1:%d weight 100 check port %d inter 500ms fall 2 rise 1 agent-check agent-port %d agent-inter 100ms agent-send "s1\\n"
                """.formatted(app, management, agent));
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        try (Haproxy haproxy = Haproxy.start(dir, config);
             ForkedJvm jvm = MinimalApplicationIT.start("scaling-app", env, List.of("-Xmx256m"))) {
            jvm.await("warm-up done in \\d+ ms: 1 ok", Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, String> s = haproxy.server("be", "s1");
                assertThat(s.get("status")).isEqualTo("UP");
                assertThat(s.get("weight")).isEqualTo("100");
            });
            String metrics = get("http://127.0.0.1:" + management + "/metrics");
            assertThat(metrics).containsPattern("readiness_saturation\\{source=\"(tomcat|jetty)\"} 0\\.0")
                    .contains("readiness_warmup_tasks{result=\"ok\"} 1.0")
                    .containsPattern("readiness_agent_answers_total\\{answer=\"up\"} [1-9]");
            assertThat(jvm.lines()).as("the warm-up ran before readiness turned UP")
                    .filteredOn(l -> l.contains("warm-up done") || l.contains("availability STARTING -> READY"))
                    .first().asString().contains("warm-up done");

            for (int i = 0; i < 16; i++) { // 16 held on at most 8 threads (Jetty; Tomcat 4): saturation 2 or more
                held.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app + "/slow?ms=3000"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("weight")).as("weight at saturation >= 2").isEqualTo("10"));
            for (CompletableFuture<HttpResponse<String>> f : held) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("weight")).isEqualTo("100"));

            jvm.signal("TERM");
            long t0 = System.nanoTime();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
                String status = haproxy.server("be", "s1").get("status");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).startsWith(status + " ")) {
                    seen.add(status + " at " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                }
                if (status.startsWith("DOWN")) {
                    break;
                }
                Thread.sleep(20);
            }
            System.out.println("HAProxy after SIGTERM to the Spring Boot application: " + seen);
            // UP (perhaps "UP 1/2": one failed check of the two that mark it DOWN), then DRAIN, then DOWN
            int drain = indexOf(seen, "DRAIN");
            int down = indexOf(seen, "DOWN");
            assertThat(drain).as("DRAIN seen: %s", seen).isPositive();
            assertThat(down).as("DOWN from the httpchk after DRAIN: %s", seen).isGreaterThan(drain);
            assertThat(seen.subList(0, drain)).as("only UP before DRAIN: %s", seen).allMatch(x -> x.startsWith("UP"));
            assertThat(jvm.awaitExit(Duration.ofSeconds(30))).as("exit status").isZero();
        }
    }

    private static int indexOf(List<String> seen, String status) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).startsWith(status)) {
                return i;
            }
        }
        return -1;
    }

    private String get(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
