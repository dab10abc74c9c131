package dev.readiness.health.management;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.SlowClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management server under abuse, over real loopback sockets: slow clients, oversized headers, garbage, more
 * connections than the cap. Each probe is sent the kubelet's way, on a fresh connection with
 * {@code Connection: close}, and must answer within the kubelet's default timeout of 1 s.
 */
class ManagementServerAbuseTest {

    private static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(1);

    private final HealthRegistry registry = HealthRegistry.create();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        registry.close();
    }

    private ManagementServer start(ManagementServer.Builder b) {
        ManagementServer s = b.host("127.0.0.1").port(0).start();
        toClose.add(s);
        return s;
    }

    private InetSocketAddress start() {
        return start(ManagementServer.builder(registry)).address();
    }

    @Test
    void probesOnFreshConnectionsAnswerWithinASecondWhileAThousandSlowConnectionsAreHeld() throws Exception {
        InetSocketAddress server = start();
        SlowClients slow = SlowClients.open(server, 1_000, Duration.ofSeconds(2));
        toClose.add(slow);
        List<String> failures = new ArrayList<>();
        long worst = 0;
        // 12 s: longer than any read bound the server may have, so probes also meet the slow clients' reconnects
        for (int i = 0; i < 60; i++) {
            long t0 = System.nanoTime();
            String status = probe(server, "/livez");
            long took = System.nanoTime() - t0;
            worst = Math.max(worst, took);
            if (!status.startsWith("HTTP/1.1 200") || took > KUBELET_TIMEOUT.toNanos()) {
                failures.add("probe " + i + ": " + status + " after " + took / 1_000_000 + " ms");
            }
            Thread.sleep(200); // the probes' pace, not a wait for a state
        }
        assertThat(failures).as("probes failed or slower than 1 s (slowest %d ms, %d slow clients open)",
                worst / 1_000_000, slow.open()).isEmpty();
    }

    @Test
    void anOversizedHeaderIsRefusedWith431OrACloseAndOtherConnectionsAreUnaffected() throws Exception {
        InetSocketAddress server = start();
        String answer = exchange(server, "GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(64 * 1024)
                + "\r\n\r\n");
        assertThat(answer).matches("(HTTP/1.1 431.*|closed)");
        assertThat(probe(server, "/livez")).startsWith("HTTP/1.1 200");
    }

    @Test
    void garbageGets400OrACloseAndAKeepAliveNeighbourIsUnaffected() throws Exception {
        InetSocketAddress server = start();
        try (Socket neighbour = new Socket()) {
            neighbour.connect(server, 2_000);
            neighbour.setSoTimeout(5_000);
            assertThat(keepAliveGet(neighbour)).startsWith("HTTP/1.1 200");
            byte[] noise = new byte[16 * 1024];
            new java.util.Random(42).nextBytes(noise);
            for (String garbage : new String[] {new String(noise, StandardCharsets.ISO_8859_1), "GARBAGE\r\n\r\n",
                    "GET /livez HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001"}) {
                assertThat(exchange(server, garbage)).as("garbage of %d bytes", garbage.length())
                        .matches("(HTTP/1.1 400.*|closed)");
                assertThat(keepAliveGet(neighbour)).as("the neighbour's next request").startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void pastTheConnectionCapTheConnectionIdleTheLongestIsClosedFirst() throws Exception {
        InetSocketAddress server = start(ManagementServer.builder(registry).maxConnections(4)
                .requestTimeout(Duration.ofMinutes(1))).address();
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = new Socket();
            s.connect(server, 2_000);
            toClose.add(s);
            idle.add(s);
            // each open is seen before the next: the order of opening is the order of idleness
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> guardOpen(server) >= expected);
        }
        // the first one answers a request, so it is now the one idle the shortest of the four
        idle.get(0).setSoTimeout(5_000);
        assertThat(keepAliveGet(idle.get(0))).startsWith("HTTP/1.1 200");
        assertThat(probe(server, "/livez")).as("a fifth, fresh connection").startsWith("HTTP/1.1 200");
        assertThat(closedByServer(idle.get(1))).as("idle the longest: closed").isTrue();
        // 0, 2 and 3 are left once the fifth's own connection is gone; one more idle one fills the cap again, so
        // the next fresh connection must evict (without it, whether it does depends on when the fifth's close is seen)
        await().atMost(Duration.ofSeconds(5)).until(() -> guardOpen(server) == 3);
        Socket extra = new Socket();
        extra.connect(server, 2_000);
        toClose.add(extra);
        await().atMost(Duration.ofSeconds(5)).until(() -> guardOpen(server) >= 4);
        assertThat(probe(server, "/readyz")).as("another fresh one").startsWith("HTTP/1.1 503");
        assertThat(closedByServer(idle.get(2))).as("next idle the longest: closed").isTrue();
        assertThat(keepAliveGet(idle.get(0))).as("the one that was used lately stays open").startsWith("HTTP/1.1 200");
        assertThat(closedByServer(idle.get(3))).as("open, below the cap again").isFalse();
    }

    @Test
    void aConnectionThatTricklesItsRequestIsClosedWhenTheRequestTimeoutPasses() throws Exception {
        InetSocketAddress server = start(ManagementServer.builder(registry).requestTimeout(Duration.ofMillis(500)))
                .address();
        try (Socket s = new Socket()) {
            s.connect(server, 2_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            // a byte every 100 ms is far inside any idle timeout; only a bound on the whole head catches it
            try {
                for (int i = 0; i < 100; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(100); // the trickle's pace
                }
            } catch (SocketException closed) {
                // the server closed it: what this test waits for
            }
            long took = System.nanoTime() - t0;
            assertThat(Duration.ofNanos(took)).as("closed after").isLessThan(Duration.ofSeconds(5));
        }
        assertThat(probe(server, "/livez")).startsWith("HTTP/1.1 200");
    }

    @Test
    void withJettyOnTheClassPathJettyServes() {
        try (ManagementServer s = ManagementServer.builder(registry).host("127.0.0.1").port(0).start()) {
            assertThat(s.engineName()).isEqualTo("jetty");
        }
    }

    @Test
    void withoutJettyOnTheClassPathTheJdkServerServesTheProbes() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("jetty")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(loader.getResource("org/eclipse/jetty/server/Server.class")).isNull();
            Class<?> registryType = Class.forName("dev.readiness.core.probe.HealthRegistry", true, loader);
            Class<?> serverType = Class.forName(ManagementServer.class.getName(), true, loader);
            Object other = registryType.getMethod("create").invoke(null);
            Object builder = serverType.getMethod("builder", registryType).invoke(null, other);
            builder.getClass().getMethod("host", String.class).invoke(builder, "127.0.0.1");
            builder.getClass().getMethod("port", int.class).invoke(builder, 0);
            try (AutoCloseable server = (AutoCloseable) builder.getClass().getMethod("start").invoke(builder)) {
                java.lang.reflect.Method engineName = serverType.getDeclaredMethod("engineName");
                engineName.setAccessible(true);
                assertThat(engineName.invoke(server)).isEqualTo("jdk");
                int port = (int) serverType.getMethod("port").invoke(server);
                assertThat(probe(new InetSocketAddress("127.0.0.1", port), "/livez")).startsWith("HTTP/1.1 200");
            } finally {
                registryType.getMethod("close").invoke(other);
            }
        }
    }

    /** Connections the server holds open now, as its guard counts them. */
    private int guardOpen(InetSocketAddress server) {
        return toClose.stream().filter(ManagementServer.class::isInstance).map(ManagementServer.class::cast)
                .filter(s -> s.port() == server.getPort()).findFirst().orElseThrow().openConnections();
    }

    /** Whether the server closed {@code s}: a read sees the end of the stream (or a reset) within 5 s. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /**
     * Sends {@code request} on a new connection and returns the status line, or {@code closed} when the server
     * closed (or reset) the connection without an answer. Fails when neither happens within 5 s.
     */
    static String exchange(InetSocketAddress server, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 2_000);
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (SocketException e) {
                return "closed"; // the server closed while we were still writing
            }
            try {
                String line = statusLine(s.getInputStream());
                return line == null ? "closed" : line;
            } catch (SocketTimeoutException e) {
                return "no answer and no close within 5 s";
            } catch (SocketException e) {
                return "closed";
            }
        }
    }

    /** One probe the kubelet's way: a new connection, {@code Connection: close}; the status line or the failure. */
    static String probe(InetSocketAddress server, String path) {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(server, (int) KUBELET_TIMEOUT.toMillis());
            s.setSoTimeout((int) KUBELET_TIMEOUT.toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getPort()
                    + "\r\nUser-Agent: kube-probe/1.34\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String line = statusLine(s.getInputStream());
            return line == null ? "closed" : line;
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A GET on a kept-alive connection; reads the whole answer (its Content-Length) so the next one can follow. */
    static String keepAliveGet(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String status = readLine(in);
        int length = 0;
        for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return status;
    }

    static String statusLine(InputStream in) throws IOException {
        String line = readLine(in);
        return line == null || line.isEmpty() ? null : line;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return c < 0 && b.length() == 0 ? null : b.toString();
    }
}
