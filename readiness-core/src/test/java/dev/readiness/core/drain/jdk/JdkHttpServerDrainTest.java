package dev.readiness.core.drain.jdk;

import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.drain.InFlightTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdkHttpServerDrainTest {

    private final InFlightTracker tracker = new InFlightTracker();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private JdkHttpServerDrain adapter;
    private int port;

    private void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(pool);
        adapter = new JdkHttpServerDrain(server, tracker, Duration.ofSeconds(10));
        adapter.track(server.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/block")) {
                entered.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        }));
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        pool.shutdownNow();
    }

    /** Sends one request and reads until the server closes or 3 s pass. */
    private static String exchange(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(3000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
            out.write("<EOF>".getBytes(StandardCharsets.US_ASCII));
        } catch (java.net.SocketTimeoutException e) {
            out.write("<OPEN>".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void countsAnExchangeUntilItsHandlerReturns() throws Exception {
        start();
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return exchange(s, "/block");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(tracker.inFlight()).isEqualTo(1);
        release.countDown();
        assertThat(r.get(10, TimeUnit.SECONDS)).contains("200 OK").endsWith("<OPEN>");
        assertThat(tracker.inFlight()).isZero();
        assertThat(tracker.completed()).isEqualTo(1);
    }

    @Test
    void answersConnectionCloseOnceDrainingAndTheServerClosesTheConnection() throws Exception {
        start();
        tracker.startClosingConnections();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            String response = exchange(s, "/");
            assertThat(response).contains("200 OK").containsIgnoringCase("Connection: close").endsWith("<EOF>");
        }
    }

    @Test
    void stopAcceptingRefusesNewConnectionsWhileTheRunningExchangeFinishes() throws Exception {
        start();
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return exchange(s, "/block");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        adapter.stopAccepting();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(java.net.ConnectException.class);
        release.countDown();
        assertThat(r.get(10, TimeUnit.SECONDS)).contains("200 OK").contains("ok");
        long t0 = System.nanoTime();
        adapter.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("stop ends the server's own wait")
                .isLessThan(Duration.ofSeconds(5));
    }
}
