package dev.readiness.core.drain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.drain.jdk.JdkHttpServerDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A tiny service forked by the signal tests: the JDK HTTP server with the drain adapter, {@code GET /},
 * {@code GET /slow?ms=N} and a minimal {@code GET /readyz}. Settings come from the environment
 * ({@code READINESS_DRAIN_*}); {@code TEST_RESOURCES=hang} registers a resource whose close never returns
 * between two that close normally. Prints {@code LISTENING port=N} once it serves.
 */
public final class DrainTestService {

    public static void main(String[] args) throws Exception {
        DrainSettings settings = DrainConfig.from(ReadinessConfig.defaults());
        HealthRegistry registry = HealthRegistry.create();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(settings).build();

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(Executors.newCachedThreadPool());
        JdkHttpServerDrain adapter = new JdkHttpServerDrain(server, drain.tracker(), settings.timeout());
        adapter.track(server.createContext("/", ex -> respond(ex, 200, "hello")));
        adapter.track(server.createContext("/slow", ex -> {
            long ms = Long.parseLong(query(ex.getRequestURI(), "ms", "100"));
            System.out.println("slow started ms=" + ms);
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "slept " + ms);
        }));
        server.createContext("/readyz", ex -> {
            ProbeReport r = registry.report(Probe.READINESS);
            respond(ex, r.httpStatus(), new String(r.json(), StandardCharsets.UTF_8));
        });
        drain.server(adapter);
        drain.register("pool-a", () -> System.out.println("closed pool-a"));
        if ("hang".equals(System.getenv("TEST_RESOURCES"))) {
            CountDownLatch never = new CountDownLatch(1);
            drain.register("hangs", never::await);
        }
        drain.register("pool-b", () -> System.out.println("closed pool-b"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("other hook ran"), "other-hook"));

        server.start();
        registry.start();
        registry.markStarted();
        drain.installShutdownHook();
        System.out.println("LISTENING port=" + server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join(); // serve until a signal
    }

    private static String query(URI uri, String key, String dflt) {
        String q = uri.getRawQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
        }
        return dflt;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
