package dev.readiness.spring.boot.minimal;

import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A brand-new Spring Boot application ({@link MinimalApplication}) whose only readiness addition is the starter,
 * run as a real process: probes on readiness' management server, sessions in a real redis-server, a ConfigMap
 * directory updated the way the kubelet does it, and SIGTERM while requests run, on Tomcat and on Jetty:
 * readiness 503 at once while requests still succeed for the propagation delay, then new connections are
 * refused, the request in flight completes with {@code Connection: close}, and the JVM exits 0. No preStop hook,
 * no shell.
 */
class MinimalApplicationIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(3);
    private static final long SLOW_MS = 9_000;

    // every request sent once on its own connection: a resent request cannot hide a failure
    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(5), false);

    static ForkedJvm start(String name, Map<String, String> env, List<String> jvmArgs) throws IOException {
        return ForkedJvm.start(name, classpath(), MinimalApplication.class.getName(), env, jvmArgs, true);
    }

    /**
     * This build's test class path without Boot's JDBC and Redis auto-configurations, which only the dependency
     * test uses: the minimal application has no database and no Redis of its own.
     */
    static String classpath() {
        return java.util.Arrays.stream(ForkedJvm.currentClasspath().split(java.io.File.pathSeparator))
                .filter(e -> !e.matches(".*[/\\\\]spring-boot-(starter-)?(jdbc|data-redis)-[^/\\\\]*\\.jar"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @TempDir
    Path configDir;

    private static Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SERVER_PORT", "0",
                "READINESS_MANAGEMENT_PORT", "0",
                "READINESS_MANAGEMENT_HOST", "127.0.0.1",
                "READINESS_DRAIN_ENABLED", "true",
                "READINESS_DRAIN_PROPAGATION_DELAY", PROPAGATION.toMillis() + "ms",
                "READINESS_DRAIN_TIMEOUT", "20s",
                "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true"));
        env.putAll(more);
        return env;
    }

    @Test
    void probesSessionsReloadAndDrainOnTomcat() throws Exception {
        KubeletAtomicWriter kubelet = new KubeletAtomicWriter(configDir);
        kubelet.write(Map.of("app.properties", "greeting=hello\n"));
        try (RedisServer redis = RedisServer.start();
             ForkedJvm app = start("minimal-tomcat", env(Map.of(
                     "READINESS_SESSIONS_REDIS_URI", redis.uri(),
                     "READINESS_SESSIONS_COOKIE_SECURE", "false",
                     "READINESS_CONFIG_DIR", configDir.toString())), List.of("-Xmx256m"))) {
            int port = Integer.parseInt(app.await("started on port (\\d+)", Duration.ofSeconds(90)));
            int management = Integer.parseInt(app.await("management server listening on [^ ]*:(\\d+)",
                    Duration.ofSeconds(5)));
            URI base = URI.create("http://127.0.0.1:" + port);
            URI mgmt = URI.create("http://127.0.0.1:" + management);

            // probes, on readiness' own management server
            await().atMost(Duration.ofSeconds(30)).until(() -> status(mgmt.resolve("/readyz")) == 200);
            assertThat(status(mgmt.resolve("/livez"))).isEqualTo(200);
            assertThat(status(mgmt.resolve("/startupz"))).isEqualTo(200);
            assertThat(status(base.resolve("/actuator/health/readiness"))).isEqualTo(200);

            // sessions in Redis
            NoRetryHttpClient.Response first = http.get(port, "/session/counter", Duration.ofSeconds(10));
            assertThat(first.text()).isEqualTo("1");
            String cookie = first.header("set-cookie").split(";")[0];
            assertThat(cookie).startsWith("SESSION=");
            NoRetryHttpClient.Response second = http.get(port, "/session/counter", Map.of("Cookie", cookie),
                    Duration.ofSeconds(10));
            assertThat(second.text()).isEqualTo("2");
            assertThat(redis.command("DBSIZE")).contains("1");

            // the ConfigMap, reloaded in place
            assertThat(body(base.resolve("/config/greeting"))).isEqualTo("hello");
            kubelet.write(Map.of("app.properties", "greeting=bonjour\n"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "bonjour".equals(body(base.resolve("/config/greeting"))));
            assertThat(status(base.resolve("/config/missing"))).isEqualTo(404);

            drain(app, port, mgmt.resolve("/readyz"));
        }
    }

    @Test
    void drainOnJetty() throws Exception {
        try (ForkedJvm app = start("minimal-jetty", env(Map.of()), List.of("-Xmx256m", "-Dminimal.server=jetty"))) {
            int port = Integer.parseInt(app.await("started on port (\\d+)", Duration.ofSeconds(90)));
            URI base = URI.create("http://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(base.resolve("/actuator/health/readiness")) == 200);
            drain(app, port, base.resolve("/actuator/health/readiness"));
        }
    }

    /** Requests running, SIGTERM, and what the drain must do with them; ends with the process gone. */
    private void drain(ForkedJvm app, int port, URI readiness) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port);
        {

            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> rawGet(port, "/slow?ms=" + SLOW_MS));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger okAfterSigterm = new AtomicInteger();
            AtomicBoolean signalled = new AtomicBoolean();
            Thread load = new Thread(() -> {
                for (int i = 0; i < 100_000 && !stop.get(); i++) {
                    try {
                        int s = status(base.resolve("/"));
                        if (s == 200) {
                            ok.incrementAndGet();
                            if (signalled.get()) {
                                okAfterSigterm.incrementAndGet();
                            }
                        } else {
                            failures.add("status " + s);
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "load");
            load.start();
            Thread.sleep(700);

            long t0 = System.nanoTime();
            signalled.set(true);
            app.signal("TERM");
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(readiness) == 503);
            // keep sending through most of the propagation delay, as a load balancer that has not caught up does
            long sendUntil = t0 + PROPAGATION.toNanos() * 2 / 3;
            while (System.nanoTime() < sendUntil) {
                Thread.sleep(20);
            }
            stop.set(true);
            load.join(10_000);
            assertThat(failures).as("requests that failed after SIGTERM").isEmpty();
            assertThat(okAfterSigterm.get()).as("requests served after SIGTERM").isGreaterThan(5);

            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> refused(port));
            assertThat(slow).as("the slow request still runs when accepting stopped").isNotDone();

            String response = slow.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                    .contains("slept " + SLOW_MS + " ms");
            assertThat(app.awaitExit(Duration.ofSeconds(40))).as("exit status").isZero();
            assertThat(app.count("drain phase 2/4 requests: stopped accepting on 1 server(s)")).isEqualTo(1);
            assertThat(app.count("exiting with status 0")).isEqualTo(1);
        }
    }

    private String body(URI uri) throws IOException {
        return http.get(uri.getPort(), uri.getRawPath(), Duration.ofSeconds(10)).text();
    }

    private int status(URI uri) throws IOException {
        return http.get(uri.getPort(), uri.getRawPath(), Duration.ofSeconds(10)).status();
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A keep-alive request on a raw socket, to see the response's headers as sent. */
    static String rawGet(int port, String path) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            String line;
            int contentLength = -1;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                b.append(line).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            b.append('\n');
            if (contentLength >= 0) {
                char[] body = new char[contentLength];
                int n = 0;
                while (n < contentLength) {
                    int r = in.read(body, n, contentLength - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                b.append(body, 0, n);
            } else {
                // chunked or close-delimited: read what arrives until the server closes
                int c;
                while ((c = in.read()) >= 0) {
                    b.append((char) c);
                }
            }
            return b.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
