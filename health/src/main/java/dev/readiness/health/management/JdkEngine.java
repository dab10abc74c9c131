package dev.readiness.health.management;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.thread.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code com.sun.net.httpserver}: always available, bounded only as far as the JDK lets it be. Its
 * dispatcher thread accepts connections and, once a connection is readable, hands it to a pool thread that reads
 * the request blocking, so a slow client holds a pool thread for up to {@code sun.net.httpserver.maxReqTime}.
 */
final class JdkEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ExecutorService overflow;

    private JdkEngine(HttpServer server, ExecutorService executor, ExecutorService overflow) {
        this.server = server;
        this.executor = executor;
        this.overflow = overflow;
    }

    static JdkEngine start(Settings settings, Router router, String where) {
        ThreadFactory threads = DaemonThreads.numbered("readiness-management");
        // Past MAX_THREADS, requests wait in line for one overflow thread rather than being refused: a refusal
        // would reach the JDK server's dispatcher thread, and a dropped exchange would leak its connection.
        ExecutorService overflow = Executors.newSingleThreadExecutor(threads);
        // No queue before that: a request that finds every thread busy (reading slow clients) gets a new thread.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.threads(),
                Math.max(settings.threads(), ManagementServer.MAX_THREADS), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads, (r, executor) -> {
                    log.warn("management server: all {} threads busy with slow clients, queueing a request",
                            executor.getMaximumPoolSize());
                    if (!overflow.isShutdown()) {
                        overflow.execute(r);
                    }
                });
        HttpServer server;
        try {
            server = HttpServer.create(settings.address(), 0);
        } catch (BindException e) {
            pool.shutdownNow();
            overflow.shutdownNow();
            throw new IllegalStateException("management server cannot listen on " + where
                    + ": the port is already in use (" + e.getMessage() + "). Set readiness.management.port"
                    + " (READINESS_MANAGEMENT_PORT) to a free port.", e);
        } catch (IOException e) {
            pool.shutdownNow();
            overflow.shutdownNow();
            throw new IllegalStateException("management server cannot listen on " + where + ": " + e, e);
        }
        server.setExecutor(pool);
        server.createContext("/", exchange -> handle(exchange, router));
        server.start();
        return new JdkEngine(server, pool, overflow);
    }

    @Override
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        overflow.shutdownNow();
    }

    private static void handle(HttpExchange exchange, Router router) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Answer a = router.answer(method, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery());
            Headers h = exchange.getResponseHeaders();
            h.set("Cache-Control", "no-store");
            h.set("Content-Type", a.contentType());
            if (a.allow()) {
                h.set("Allow", "GET, HEAD");
            }
            if ("HEAD".equals(method) || a.body().length == 0) {
                exchange.sendResponseHeaders(a.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(a.status(), a.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        } catch (IOException e) {
            log.debug("management request failed: {}", e.toString()); // the client went away
        }
    }
}
