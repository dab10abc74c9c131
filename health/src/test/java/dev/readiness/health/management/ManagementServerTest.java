package dev.readiness.health.management;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The HTTP contract of the management server, over real loopback sockets, with Jetty (on the test class path). */
class ManagementServerTest {

    private static final CheckOptions FAST = CheckOptions.builder().interval(Duration.ofMillis(100))
            .timeout(Duration.ofMillis(100)).build();

    private final HealthRegistry registry = HealthRegistry.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        registry.close();
    }

    /** The builder every test starts from; {@link JdkManagementServerTest} runs the same tests on the JDK's server. */
    ManagementServer.Builder builder() {
        return ManagementServer.builder(registry);
    }

    private ManagementServer start(ManagementServer.Builder b) {
        ManagementServer s = b.host("127.0.0.1").port(0).start();
        toClose.add(s);
        return s;
    }

    private ManagementServer start() {
        return start(builder());
    }

    private void startedAndReady() {
        registry.readiness("db", (DependencyCheck) t -> CheckResult.up().withDetail("host", "db.internal"), FAST);
        registry.start();
        registry.markStarted();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.report(Probe.READINESS).isUp());
    }

    @Test
    void whileStartingLivezIs200AndReadyzAndStartupzAre503() {
        int port = start().port();
        HttpResponse<String> live = Http.get(port, "/livez");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(live.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\",\"state\":\"STARTING\"}");
        HttpResponse<String> ready = Http.get(port, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"state\":\"STARTING\","
                + "\"reason\":\"starting: the application has not reported started yet\"}");
        assertThat(Http.get(port, "/startupz").statusCode()).isEqualTo(503);
    }

    @Test
    void onceStartedAndReadyEveryProbeIs200() {
        int port = start().port();
        startedAndReady();
        assertThat(Http.get(port, "/readyz").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/startupz").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void verboseShowsDetailOnlyWhenDetailsAreEnabled() {
        int plain = start().port();
        int detailed = start(builder().details(true)).port();
        startedAndReady();
        assertThat(Http.get(plain, "/readyz?verbose").body()).isEqualTo(Http.get(plain, "/readyz").body())
                .doesNotContain("db.internal");
        for (String q : new String[] {"?verbose", "?verbose=true", "?verbose=1", "?a=b&verbose"}) {
            assertThat(Http.get(detailed, "/readyz" + q).body()).as(q).contains("\"checks\":{\"db\":{\"status\":\"UP\"")
                    .contains("\"host\":\"db.internal\"");
        }
        assertThat(Http.get(detailed, "/readyz?verbose=false").body()).doesNotContain("checks");
        assertThat(Http.get(detailed, "/readyz?verbosity").body()).doesNotContain("checks");
    }

    @Test
    void headAnswersTheStatusWithoutABody() {
        int port = start().port();
        HttpResponse<String> head = Http.request("HEAD", port, "/readyz");
        assertThat(head.statusCode()).isEqualTo(503);
        assertThat(head.body()).isEmpty();
        assertThat(Http.request("HEAD", port, "/nope").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"})
    void otherMethodsAre405WithAllow(String method) {
        int port = start().port();
        for (String path : new String[] {"/livez", "/readyz", "/nope"}) {
            HttpResponse<String> r = Http.request(method, port, path);
            assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        assertThat(Http.get(port, "/livez").statusCode()).as("the server still serves").isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/readyz/", "/READYZ", "/livez/../readyz", "/%72eadyz", "/readyz%00",
            "/actuator/health"})
    void unknownPathsAre404WithAJsonBody(String path) {
        int port = start().port();
        HttpResponse<String> r = Http.get(port, path);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).startsWith("{\"error\":\"not found\",\"endpoints\":[\"/livez\",\"/readyz\",\"/startupz\"]")
                .doesNotContain(path.length() > 1 ? path.substring(1) : "\u0000");
    }

    @Test
    void aVeryLongPathIs404NotAnError() {
        int port = start().port();
        assertThat(Http.get(port, "/" + "a".repeat(6_000)).statusCode()).isIn(404, 413, 414);
        assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsWithoutPrometheusIs404SayingHowToEnableIt() {
        HttpResponse<String> r = Http.get(start().port(), "/metrics");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("micrometer-registry-prometheus").contains("PrometheusHandler");
    }

    @Test
    void metricsServesPrometheusTextWithTheProbeMeters() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProbeMetrics(registry).bindTo(prometheus);
        int port = start(builder().handler("/metrics", PrometheusHandler.of(prometheus))).port();
        startedAndReady();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> r = Http.get(port, "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
            assertThat(r.body()).contains("readiness_probe_up{probe=\"readiness\"} 1")
                    .contains("readiness_check_status{check=\"db\",probe=\"readiness\",required=\"true\"} 1")
                    .contains("readiness_check_duration_seconds_count{check=\"db\",probe=\"readiness\",result=\"up\"}")
                    .contains("readiness_availability_state{state=\"ready\"} 1");
        });
    }

    @Test
    void anExtraHandlerIsServedAndItsFailureIs500() {
        int port = start(builder()
                .handler("/drainz", uri -> ManagementResponse.json(200, "{\"draining\":false}"))
                .handler("/broken", uri -> {
                    throw new IllegalStateException("bug");
                })).port();
        assertThat(Http.get(port, "/drainz").body()).isEqualTo("{\"draining\":false}");
        HttpResponse<String> broken = Http.get(port, "/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).doesNotContain("bug");
        assertThat(Http.get(port, "/nope").body()).contains("\"/broken\"").contains("\"/drainz\"");
    }

    @Test
    void handlerPathsAreValidated() {
        ManagementServer.Builder b = builder();
        for (String bad : new String[] {null, "", "metrics", "/", "/a b", "/a?b", "/é", "/" + "x".repeat(101)}) {
            assertThatThrownBy(() -> b.handler(bad, uri -> null)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> b.handler("/readyz", uri -> null)).hasMessageContaining("already served");
        b.handler("/x", uri -> null);
        assertThatThrownBy(() -> b.handler("/x", uri -> null)).hasMessageContaining("already served");
    }

    @Test
    void aPortAlreadyInUseIsAClearStartError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> builder().host("127.0.0.1").port(taken.getLocalPort()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("readiness.management.port");
        }
    }

    @Test
    void livenessIsUnaffectedByAHungReadinessCheck() {
        int port = start().port();
        registry.liveness("heap", (LocalCheck) CheckResult::up, FAST);
        registry.readiness("hangs", (DependencyCheck) t -> {
            Thread.sleep(60_000);
            return CheckResult.up();
        }, FAST);
        registry.start();
        registry.markStarted();
        // 503 comes first with "not evaluated yet" (UNKNOWN); DOWN follows once the check's timeout has passed.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            java.net.http.HttpResponse<String> r = Http.get(port, "/readyz");
            return r.statusCode() == 503 && r.body().contains("hangs DOWN");
        });
        assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void clientsThatSendHalfARequestDoNotStallTheProbes() throws Exception {
        int port = start().port();
        List<java.net.Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * ManagementServer.DEFAULT_THREADS + 2; i++) {
                java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
                s.getOutputStream().write("GET /livez HTTP/1.1\r\nHost: x\r\n".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)); // never finished
                s.getOutputStream().flush();
                slow.add(s);
            }
            long start = System.nanoTime();
            assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /livez HTTP/9.9\r\n\r\n",
            "GET /livez HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "\u0000\u0001\u0002\r\n\r\n",
            "GET /livez HTTP/1.1\r\nX: \u00ff\u00fe\r\n\r\n"})
    void malformedRequestsDoNotHurtTheServer(String raw) throws Exception {
        int port = start().port();
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.getInputStream().read(new byte[512]); // whatever it answers, or a close
        } catch (java.net.SocketException e) {
            // a reset is a fine answer to garbage
        }
        assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void aHugeHeaderIsRefusedAndTheServerKeepsServing() throws Exception {
        int port = start().port();
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            StringBuilder req = new StringBuilder("GET /livez HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 500; i++) {
                req.append("X-").append(i).append(": ").append("v".repeat(100)).append("\r\n");
            }
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getInputStream().read(new byte[512]);
        } catch (java.net.SocketException e) {
            // refused by closing: fine
        }
        assertThat(Http.get(port, "/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void moreSlowClientsThanThreadsQueueTheProbeInsteadOfDroppingIt() throws Exception {
        int port = start().port();
        List<java.net.Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < ManagementServer.MAX_THREADS + 1; i++) {
                java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
                s.getOutputStream().write("GET /livez HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            // Every thread is held; the probe waits in line until maxReqTime (10 s) drops the slow clients.
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/livez")).timeout(Duration.ofSeconds(40)).build();
            HttpResponse<String> r = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void theServerTurnsOffNaglesAlgorithmSoProbesDoNotWaitForDelayedAcks() {
        start();
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void closeStopsListeningAndIsIdempotent() {
        ManagementServer s = builder().host("127.0.0.1").port(0).start();
        int port = s.port();
        s.close();
        s.close();
        assertThatThrownBy(() -> Http.get(port, "/livez")).isInstanceOf(java.io.UncheckedIOException.class);
    }
}
