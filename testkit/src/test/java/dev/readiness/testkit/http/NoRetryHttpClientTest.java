package dev.readiness.testkit.http;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real server socket on loopback whose answers each test scripts. */
class NoRetryHttpClientTest {

    private final NoRetryHttpClient keepAlive = new NoRetryHttpClient(Duration.ofSeconds(2), true);
    private Scripted server;

    @AfterEach
    void close() throws IOException {
        keepAlive.close();
        if (server != null) {
            server.close();
        }
    }

    /** Accepts connections one after another; answers request n (counted over all connections) as told. */
    static final class Scripted implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final Thread thread;

        /**
         * {@code answer} gives the bytes to write for request n, or null to close the connection unanswered; an
         * answer ending in {@link #THEN_CLOSE} is written and the connection closed after it.
         */
        Scripted(IntFunction<String> answer) throws IOException {
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.US_ASCII));
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            String line = in.readLine();
                            if (line == null) {
                                break;
                            }
                            while (!line.isEmpty()) {
                                line = in.readLine();
                            }
                            String a = answer.apply(requests.incrementAndGet());
                            if (a == null) {
                                break;
                            }
                            out.write(a.replace(THEN_CLOSE, "").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            if (a.endsWith(THEN_CLOSE)) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                    closed.incrementAndGet();
                }
            }, "scripted-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    static final String THEN_CLOSE = "<close>";

    @Test
    void aKeptAliveConnectionClosedUnderARequestFailsItAndNothingIsResent() throws Exception {
        server = new Scripted(n -> n == 1 ? OK : null);
        assertThat(keepAlive.get(server.port(), "/", Duration.ofSeconds(5)).text()).isEqualTo("ok");
        assertThatThrownBy(() -> keepAlive.get(server.port(), "/", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("connection closed before an answer");
        // One connection for both requests, and the second sent exactly once: JDK HttpClient resends it here.
        assertThat(server.requests).hasValue(2);
        assertThat(server.connections).hasValue(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsDroppedBeforeARequestIsWrittenOnIt() throws Exception {
        // A draining server closes its idle kept-alive connections without a word.
        server = new Scripted(n -> n == 1 ? OK + THEN_CLOSE : OK);
        assertThat(keepAlive.get(server.port(), "/", Duration.ofSeconds(5)).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.closed.get() == 1);
        assertThat(keepAlive.get(server.port(), "/", Duration.ofSeconds(5)).status()).isEqualTo(200);
        assertThat(server.connections).as("a new connection for the second request").hasValue(2);
        assertThat(server.requests).hasValue(2);
    }

    @Test
    void aConnectionStillOpenIsReused() throws Exception {
        server = new Scripted(n -> OK);
        keepAlive.get(server.port(), "/", Duration.ofSeconds(5));
        keepAlive.get(server.port(), "/", Duration.ofSeconds(5));
        assertThat(server.connections).hasValue(1);
        assertThat(server.requests).hasValue(2);
    }

    @Test
    void connectionCloseInTheAnswerIsHonoured() throws Exception {
        server = new Scripted(n -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        keepAlive.get(server.port(), "/", Duration.ofSeconds(5));
        keepAlive.get(server.port(), "/", Duration.ofSeconds(5));
        assertThat(server.connections).hasValue(2);
        assertThat(server.requests).hasValue(2);
    }

    @Test
    void aChunkedBodyIsReadWhole() throws Exception {
        server = new Scripted(n -> "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n"
                + "X-Backend: b1\r\n\r\n3\r\nnot\r\n6\r\n ready\r\n0\r\n\r\n");
        NoRetryHttpClient.Response r = keepAlive.get(server.port(), "/readyz", Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("x-backend")).isEqualTo("b1");
        assertThat(r.text()).isEqualTo("not ready");
    }

    @Test
    void aRefusedConnectionFailsOnce() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        assertThatThrownBy(() -> keepAlive.get(port, "/", Duration.ofSeconds(5)))
                .isInstanceOf(NoRetryHttpClient.NotSentException.class).hasMessageContaining("nothing sent");
    }

    @Test
    void aRequestThatReachedTheServerIsNeverReportedAsNotSent() throws Exception {
        server = new Scripted(n -> null);
        assertThatThrownBy(() -> keepAlive.get(server.port(), "/", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).isNotInstanceOf(NoRetryHttpClient.NotSentException.class);
    }

    @Test
    void sendsAnyMethodWithEveryHeaderValueAndTheBody() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        echo.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] out = (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().get("X-Two")
                    + " " + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Set-Cookie", "a=1");
            ex.getResponseHeaders().add("Set-Cookie", "b=2");
            ex.sendResponseHeaders(201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        echo.start();
        try {
            NoRetryHttpClient.Response r = keepAlive.send(echo.getAddress().getPort(), "POST", "/p?q=1",
                    Map.of("X-Two", List.of("x", "y"), "Content-Length", List.of("999")),
                    "hello".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text()).isEqualTo("POST /p?q=1 [x, y] hello");
            assertThat(r.headers("set-cookie")).containsExactly("a=1", "b=2");
        } finally {
            echo.stop(0);
        }
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsATimeout() throws Exception {
        server = new Scripted(n -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OK;
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> keepAlive.get(server.port(), "/", Duration.ofMillis(300)))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_900));
    }
}
