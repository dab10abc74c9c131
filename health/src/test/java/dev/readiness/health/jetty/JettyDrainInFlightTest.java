package dev.readiness.health.jetty;

import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole drain, on a real Jetty, with a real HTTP request blocked in the handler while it runs: the resources
 * registered to close (a real thread pool the handler needs to finish the response, and a pool that records when it
 * closed) close only after that request finished, and its response reaches the client whole.
 */
class JettyDrainInFlightTest {

    /** Larger than the loopback socket buffers, so the last bytes leave only while the client reads. */
    private static final int BODY_BYTES = 8 * 1024 * 1024;

    private final HealthRegistry registry = HealthRegistry.create();
    private final GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
            .propagationDelay(Duration.ofMillis(200)).timeout(Duration.ofSeconds(20)).build()).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private Server server;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.stop();
        workers.shutdownNow();
        registry.close();
    }

    @Test
    void theDrainClosesPoolsOnlyAfterTheRequestInFlightFinishedAndItsResponseArrivedWhole() throws Exception {
        byte[] body = new byte[BODY_BYTES];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        int port = start(body);
        drain.register("workers", workers); // the pool the handler renders its response on
        drain.register("database-pool", () -> events.add("database-pool closed with "
                + drain.tracker().inFlight() + " in flight"));

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("request in the handler").isTrue();

            CompletableFuture<DrainReport> draining = CompletableFuture.supplyAsync(drain::drain);
            await().atMost(Duration.ofSeconds(10)).until(() -> drain.phase() == DrainPhase.DRAINING);
            assertThat(registry.report(Probe.READINESS).isUp()).as("readiness").isFalse();
            assertThat(registry.report(Probe.LIVENESS).isUp()).as("liveness").isTrue();
            // the drain waits for the request, however long that takes within its timeout: nothing closes meanwhile
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                    drain.phase() == DrainPhase.DRAINING && events.isEmpty() && !workers.isShutdown());

            events.add("request released");
            release.countDown();
            InputStream in = client.getInputStream();
            String head = readHead(in);
            // the server is writing more than the socket holds: it cannot finish, nor the pools close, until the
            // client reads
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() ->
                    !events.contains("response completed")
                            && events.stream().noneMatch(e -> e.startsWith("database-pool")) && !workers.isShutdown());
            byte[] received = in.readNBytes(contentLength(head));
            events.add("client read the whole body");

            DrainReport report = draining.get(30, TimeUnit.SECONDS);
            System.out.println("drain with a request in flight: " + report + "; events " + events);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
            assertThat(received.length).isEqualTo(BODY_BYTES);
            assertThat(sha256(received)).isEqualTo(sha256(body));
            assertThat(report.clean()).as("drain report %s", report).isTrue();
            assertThat(events).containsSubsequence("request released", "response completed",
                    "database-pool closed with 0 in flight");
            assertThat(events.indexOf("database-pool closed with 0 in flight"))
                    .isGreaterThan(events.indexOf("response completed"));
            assertThat(workers.isShutdown()).as("workers closed by the drain").isTrue();
            assertThat(registry.state()).hasToString("STOPPED");
        }
    }

    private int start(byte[] body) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                entered.countDown();
                release.await(20, TimeUnit.SECONDS);
                // The body comes from a pool the drain closes: closed too early, this request fails.
                byte[] rendered = workers.submit(() -> Arrays.copyOf(body, body.length)).get(10, TimeUnit.SECONDS);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, rendered.length);
                response.write(true, ByteBuffer.wrap(rendered), Callback.from(() -> {
                    events.add("response completed");
                    callback.succeeded();
                }, callback::failed));
                return true;
            }
        });
        JettyDrain.install(server, drain);
        server.start();
        return connector.getLocalPort();
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
