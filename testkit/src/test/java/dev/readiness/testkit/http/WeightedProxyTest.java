package dev.readiness.testkit.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Against real in-process HTTP servers on loopback (the JDK's), through real sockets. */
@Timeout(60)
class WeightedProxyTest {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(2), true);

    /** A backend answering its name on every path, {@code /readyz} with {@link #ready}, counting what it served. */
    static final class Named implements AutoCloseable {
        final String name;
        final HttpServer server;
        final AtomicInteger ready = new AtomicInteger(200);
        final AtomicInteger served = new AtomicInteger();

        Named(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.createContext("/", ex -> {
                byte[] in = ex.getRequestBody().readAllBytes();
                String cookie = String.valueOf(ex.getRequestHeaders().getFirst("Cookie"));
                byte[] out = (name + " " + ex.getRequestMethod() + " " + ex.getRequestURI() + " cookie=" + cookie
                        + " body=" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                served.incrementAndGet();
                ex.getResponseHeaders().add("Set-Cookie", "SESSION=s-" + name + "; Path=/; HttpOnly");
                ex.getResponseHeaders().add("Set-Cookie", "OTHER=o; Path=/");
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            server.createContext("/readyz", ex -> {
                ex.sendResponseHeaders(ready.get(), -1);
                ex.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @AfterEach
    void close() throws Exception {
        http.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closed(T c) {
        closing.add(c);
        return c;
    }

    private WeightedProxy proxy() throws IOException {
        return closed(new WeightedProxy(new WeightedProxy.Settings(Duration.ofMillis(50), 2, 2, Duration.ofMillis(500),
                Duration.ofMillis(500), Duration.ofSeconds(5))));
    }

    private Map<String, Integer> spread(WeightedProxy proxy, int requests) throws IOException {
        Map<String, Integer> by = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            NoRetryHttpClient.Response r = http.get(proxy.port(), "/", Duration.ofSeconds(5));
            assertThat(r.status()).as("%s", r.text()).isEqualTo(200);
            by.merge(r.header("x-backend"), 1, Integer::sum);
        }
        return by;
    }

    @Test
    void weightsOneAndNinetyNineSendAboutOnePercentToTheLightOne() throws Exception {
        Named old = closed(new Named("old"));
        Named fresh = closed(new Named("new"));
        WeightedProxy proxy = proxy();
        proxy.add("old", old.port(), 99);
        proxy.add("new", fresh.port(), 1);

        Map<String, Integer> by = spread(proxy, 1_000);

        assertThat(by.getOrDefault("new", 0)).isBetween(5, 20);
        assertThat(by.get("old") + by.getOrDefault("new", 0)).isEqualTo(1_000);
        assertThat(fresh.served.get()).isEqualTo(by.getOrDefault("new", 0));
        assertThat(proxy.backend("new").requests()).isEqualTo(fresh.served.get());
    }

    @Test
    void aWeightChangeAppliesFromTheNextRequestAndZeroDrains() throws Exception {
        Named a = closed(new Named("a"));
        Named b = closed(new Named("b"));
        WeightedProxy proxy = proxy();
        proxy.add("a", a.port(), 50);
        proxy.add("b", b.port(), 50);
        assertThat(spread(proxy, 100)).containsEntry("a", 50).containsEntry("b", 50);

        proxy.weight("a", 75);
        proxy.weight("b", 25);
        Map<String, Integer> by = spread(proxy, 100);
        assertThat(by.get("a")).isBetween(70, 80);

        proxy.weight("a", 0);
        assertThat(spread(proxy, 50)).containsOnlyKeys("b");

        proxy.weight("b", 0);
        assertThat(http.get(proxy.port(), "/", Duration.ofSeconds(5)).status()).isEqualTo(503);
        assertThatThrownBy(() -> proxy.weight("a", 257)).hasMessageContaining("weight of a must be 0..256, was 257");
    }

    @Test
    void cookieAffinityKeepsAUserOnItsBackendUntilItLeavesTheRotationAndHidesTheCookie() throws Exception {
        Named a = closed(new Named("a"));
        Named b = closed(new Named("b"));
        WeightedProxy proxy = proxy();
        proxy.add("a", a.port(), 1, a.port(), "/readyz");
        proxy.add("b", b.port(), 1, b.port(), "/readyz");
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.backends().stream().allMatch(WeightedProxy.Backend::up));
        proxy.affinity("SRV");
        NoRetryHttpClient.Response first = http.get(proxy.port(), "/", Duration.ofSeconds(5));
        String home = first.header("x-backend");
        assertThat(first.headers("set-cookie")).contains("SRV=" + home + "; Path=/");
        for (int i = 0; i < 10; i++) {
            NoRetryHttpClient.Response r = http.get(proxy.port(), "/", Map.of("Cookie", "SESSION=x; SRV=" + home),
                    Duration.ofSeconds(5));
            assertThat(r.header("x-backend")).isEqualTo(home);
            assertThat(r.text()).contains("cookie=SESSION=x").doesNotContain("SRV");
            assertThat(r.headers("set-cookie")).noneMatch(c -> c.startsWith("SRV="));
        }
        proxy.weight(home, 0); // drained: new users go elsewhere, this one stays
        assertThat(http.get(proxy.port(), "/", Map.of("Cookie", "SRV=" + home), Duration.ofSeconds(5))
                .header("x-backend")).isEqualTo(home);
        assertThat(http.get(proxy.port(), "/", Duration.ofSeconds(5)).header("x-backend")).isNotEqualTo(home);
        Named homeServer = home.equals("a") ? a : b;
        homeServer.ready.set(503);
        WeightedProxy.Backend hb = proxy.backend(home);
        await().atMost(Duration.ofSeconds(5)).until(() -> !hb.up());
        proxy.weight(home, 1);
        NoRetryHttpClient.Response moved = http.get(proxy.port(), "/", Map.of("Cookie", "SRV=" + home),
                Duration.ofSeconds(5));
        assertThat(moved.header("x-backend")).isNotEqualTo(home);
        assertThat(moved.headers("set-cookie")).contains("SRV=" + moved.header("x-backend") + "; Path=/");
        assertThatThrownBy(() -> proxy.affinity("bad name")).hasMessageContaining("affinity cookie must be");
    }

    @Test
    void backendsComeAndGoAtRunTime() throws Exception {
        Named a = closed(new Named("a"));
        Named b = closed(new Named("b"));
        WeightedProxy proxy = proxy();
        proxy.add("a", a.port(), 1);
        assertThat(spread(proxy, 10)).containsOnlyKeys("a");
        proxy.add("b", b.port(), 1);
        assertThat(spread(proxy, 10)).containsEntry("a", 5).containsEntry("b", 5);
        proxy.remove("a");
        assertThat(spread(proxy, 10)).containsOnlyKeys("b");
        assertThatThrownBy(() -> proxy.add("b", a.port(), 1)).hasMessageContaining("already there");
    }

    @Test
    void aBackendWhoseHealthCheckFailsLeavesTheRotationAndComesBackAfterRisePasses() throws Exception {
        Named a = closed(new Named("a"));
        Named b = closed(new Named("b"));
        WeightedProxy proxy = proxy();
        WeightedProxy.Backend ba = proxy.add("a", a.port(), 1, a.port(), "/readyz");
        WeightedProxy.Backend bb = proxy.add("b", b.port(), 1, b.port(), "/readyz");
        assertThat(ba.up()).isFalse(); // checked backends start out of rotation
        await().atMost(Duration.ofSeconds(10)).until(() -> ba.up() && bb.up());
        assertThat(spread(proxy, 10)).containsEntry("a", 5).containsEntry("b", 5);

        a.ready.set(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> !ba.up());
        assertThat(spread(proxy, 20)).containsOnlyKeys("b");
        assertThat(proxy.events()).anyMatch(e -> e.contains("a down after 2 failing checks (status 503)"));

        a.ready.set(200);
        await().atMost(Duration.ofSeconds(10)).until(ba::up);
        assertThat(spread(proxy, 10)).containsKeys("a", "b");
        assertThat(ba.checks()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherBackendBecauseNothingWasSent() throws Exception {
        Named alive = closed(new Named("alive"));
        int gone;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            gone = s.getLocalPort();
        }
        WeightedProxy proxy = proxy();
        WeightedProxy.Backend dead = proxy.add("dead", gone, 1);
        proxy.add("alive", alive.port(), 1);

        assertThat(spread(proxy, 20)).containsOnlyKeys("alive");

        assertThat(alive.served.get()).isEqualTo(20);
        assertThat(dead.notSent()).isEqualTo(10);
        assertThat(dead.requests()).isZero();
        proxy.remove("alive");
        NoRetryHttpClient.Response r = http.get(proxy.port(), "/", Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.text()).contains("no backend accepted a connection: [dead]");
    }

    @Test
    void aRequestThatReachedABackendIsNeverSentAgain() throws Exception {
        Named alive = closed(new Named("alive"));
        // Reads each request whole, then closes the connection without a byte of answer.
        ServerSocket breaks = closed(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        AtomicInteger received = new AtomicInteger();
        Thread t = new Thread(() -> {
            while (!breaks.isClosed()) {
                try (Socket s = breaks.accept()) {
                    readHead(new BufferedInputStream(s.getInputStream()));
                    received.incrementAndGet();
                } catch (IOException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        WeightedProxy proxy = proxy();
        WeightedProxy.Backend broken = proxy.add("breaks", breaks.getLocalPort(), 1);
        proxy.add("alive", alive.port(), 1);

        int ok = 0;
        int badGateway = 0;
        for (int i = 0; i < 20; i++) {
            int status = http.get(proxy.port(), "/", Duration.ofSeconds(5)).status();
            ok += status == 200 ? 1 : 0;
            badGateway += status == 502 ? 1 : 0;
        }

        assertThat(badGateway).isEqualTo(10);
        assertThat(ok).isEqualTo(10);
        assertThat(alive.served.get()).isEqualTo(10); // none of the ten failed ones was resent to it
        assertThat(received.get()).isEqualTo(10);
        assertThat(broken.requests()).isEqualTo(10);
        assertThat(broken.failures()).isEqualTo(10);
        assertThat(broken.notSent()).isZero();
    }

    @Test
    void forwardsMethodTargetCookiesAndBodyAndPassesEverySetCookieBack() throws Exception {
        Named a = closed(new Named("a"));
        WeightedProxy proxy = proxy();
        proxy.add("a", a.port(), 1);

        NoRetryHttpClient.Response r = http.send(proxy.port(), "POST", "/session/list/add?item=x%20y",
                Map.of("Cookie", List.of("SESSION=abc; JSESSIONID=def")), "payload".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("a POST /session/list/add?item=x%20y cookie=SESSION=abc; JSESSIONID=def body=payload");
        assertThat(r.headers("set-cookie")).containsExactly("SESSION=s-a; Path=/; HttpOnly", "OTHER=o; Path=/");
        assertThat(r.header("x-backend")).isEqualTo("a");
    }

    @Test
    void requestsOnOneKeptAliveClientConnectionAreSpreadOneByOne() throws Exception {
        Named a = closed(new Named("a"));
        Named b = closed(new Named("b"));
        WeightedProxy proxy = proxy();
        proxy.add("a", a.port(), 1);
        proxy.add("b", b.port(), 1);
        Map<String, Integer> by = new ConcurrentHashMap<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < 6; i++) {
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Map<String, String> head = readHead(in);
                assertThat(head.get(":status")).isEqualTo("200");
                in.readNBytes(Integer.parseInt(head.get("content-length")));
                by.merge(head.get("x-backend"), 1, Integer::sum);
            }
        }
        assertThat(by).containsEntry("a", 3).containsEntry("b", 3);
    }

    /** Reads a request's or an answer's head; keys in lower case, the status (if any) under ":status". */
    static Map<String, String> readHead(InputStream in) throws IOException {
        Map<String, String> head = new HashMap<>();
        StringBuilder line = new StringBuilder();
        boolean first = true;
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\r') {
                continue;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            if (line.length() == 0) {
                return head;
            }
            String l = line.toString();
            if (first && l.startsWith("HTTP/1.")) {
                head.put(":status", l.substring(9, 12));
            } else if (!first) {
                int colon = l.indexOf(':');
                head.put(l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).trim());
            }
            first = false;
            line.setLength(0);
        }
        throw new IOException("closed in the head");
    }
}
