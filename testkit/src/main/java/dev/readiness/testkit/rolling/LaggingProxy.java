package dev.readiness.testkit.rolling;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.readiness.testkit.http.NoRetryHttpClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP reverse proxy on loopback that behaves like a load balancer or the endpoints controller: it
 * health-checks every backend at a fixed interval, takes a backend out of rotation only after its health check
 * failed {@code unhealthyThreshold} times in a row, and puts it back after one success. Until then it keeps
 * sending it requests, which is the lag a service must survive on SIGTERM. Requests are spread round-robin and
 * never retried by the proxy: a backend that fails a request makes the client's request fail (502), and no
 * backend in rotation gives 503. Forwarded requests go over kept-alive connections to the backends, as a load
 * balancer's do, through {@link NoRetryHttpClient}: each is sent once, so a connection the backend closes under
 * a request shows as a 502 instead of being resent.
 * <p>
 * Traffic goes to loopback only. Close it to stop the health checks and the front server.
 */
public final class LaggingProxy implements AutoCloseable {

    /** One backend and what the proxy knows of it. */
    public static final class Backend {
        private final String name;
        private final int port;
        private final String healthPath;
        private volatile boolean inRotation;
        private volatile boolean removed;
        private int failures;
        private final AtomicLong forwarded = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();

        public Backend(String name, int port, String healthPath) {
            this.name = Objects.requireNonNull(name, "name");
            this.port = port;
            this.healthPath = Objects.requireNonNull(healthPath, "healthPath");
        }

        public String name() {
            return name;
        }

        public int port() {
            return port;
        }

        public boolean inRotation() {
            return inRotation;
        }

        public long forwarded() {
            return forwarded.get();
        }

        public long failed() {
            return failed.get();
        }
    }

    private final HttpServer front;
    private final ExecutorService frontThreads = Executors.newCachedThreadPool(daemon("lagging-proxy"));
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(daemon("lagging-proxy-health"));
    private final NoRetryHttpClient client = new NoRetryHttpClient(Duration.ofSeconds(2), true);
    private final NoRetryHttpClient healthClient = new NoRetryHttpClient(Duration.ofSeconds(2), false);
    private final List<Backend> backends = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final int unhealthyThreshold;
    private final Duration requestTimeout;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final long t0 = System.nanoTime();

    /**
     * @param healthInterval     time between two health checks of a backend, e.g. 1 s
     * @param unhealthyThreshold consecutive failed health checks before a backend leaves the rotation, e.g. 2
     * @param requestTimeout     longest a forwarded request may take
     */
    public LaggingProxy(Duration healthInterval, int unhealthyThreshold, Duration requestTimeout) throws IOException {
        this.unhealthyThreshold = unhealthyThreshold;
        this.requestTimeout = requestTimeout;
        this.front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        front.setExecutor(frontThreads);
        front.createContext("/", this::forward);
        front.start();
        checker.scheduleWithFixedDelay(this::checkAll, 0, healthInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The proxy's own port on 127.0.0.1. */
    public int port() {
        return front.getAddress().getPort();
    }

    /** Adds a backend, out of rotation until its first health check passes. */
    public Backend add(String name, int port, String healthPath) {
        Backend b = new Backend(name, port, healthPath);
        backends.add(b);
        return b;
    }

    /** Forgets a backend (its process is gone). */
    public void remove(Backend b) {
        b.removed = true;
        b.inRotation = false;
        backends.remove(b);
    }

    /** What happened to the rotation, with times since the proxy started. */
    public List<String> events() {
        return List.copyOf(events);
    }

    private void checkAll() {
        for (Backend b : backends) {
            boolean ok;
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                ok = healthClient.get(b.port, b.healthPath, Duration.ofMillis(800)).status() / 100 == 2;
            } catch (IOException e) {
                ok = false;
            }
            if (b.removed) {
                continue;
            }
            if (ok) {
                b.failures = 0;
                if (!b.inRotation) {
                    b.inRotation = true;
                    event(b.name + " in rotation");
                }
            } else if (++b.failures >= unhealthyThreshold && b.inRotation) {
                b.inRotation = false;
                event(b.name + " out of rotation after " + b.failures + " failed health checks");
            }
        }
    }

    private void event(String what) {
        events.add(String.format(java.util.Locale.ROOT, "%.3fs %s", (System.nanoTime() - t0) / 1e9, what));
    }

    private Backend pick() {
        List<Backend> live = new ArrayList<>();
        for (Backend b : backends) {
            if (b.inRotation) {
                live.add(b);
            }
        }
        if (live.isEmpty()) {
            return null;
        }
        return live.get(Math.floorMod(next.getAndIncrement(), live.size()));
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            Backend b = pick();
            if (b == null) {
                respond(ex, 503, "no backend in rotation", null);
                return;
            }
            b.forwarded.incrementAndGet();
            NoRetryHttpClient.Response r;
            try {
                r = client.get(b.port, ex.getRequestURI().toString(), requestTimeout);
            } catch (IOException e) {
                b.failed.incrementAndGet();
                respond(ex, 502, "backend " + b.name + " failed: " + e, b);
                return;
            }
            if (r.status() >= 500) {
                b.failed.incrementAndGet();
            }
            respond(ex, r.status(), r.body(), b);
        }
    }

    private static void respond(HttpExchange ex, int status, String body, Backend b) throws IOException {
        respond(ex, status, body.getBytes(StandardCharsets.UTF_8), b);
    }

    private static void respond(HttpExchange ex, int status, byte[] body, Backend b) throws IOException {
        if (b != null) {
            ex.getResponseHeaders().set("X-Backend", b.name);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        front.stop(0);
        frontThreads.shutdownNow();
        client.close();
        healthClient.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
