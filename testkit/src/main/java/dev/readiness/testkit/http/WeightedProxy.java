package dev.readiness.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 reverse proxy on loopback that spreads requests the way HAProxy's {@code balance roundrobin} does
 * with weights and no affinity: every request, including each one on a kept-alive client connection, goes to the
 * backend that smooth weighted round robin picks (nginx's algorithm: over any window of the sum of the weights,
 * each backend gets its weight's share, interleaved rather than in runs). No cookie or source stickiness: a
 * session cookie reaches whatever backend comes next. This is the load balancer of a migration off sticky
 * sessions, where weight moves from the old fleet to the new in steps ({@code weight 1} / {@code weight 99}, then
 * 5, 25, 50, 75, 100) while users stay logged in.
 * <p>
 * Weights change live ({@link #weight(String, int)}; 0 drains a backend: no new requests, those in flight
 * finish), and backends are added and removed at run time. Each backend may be health-checked like
 * {@code option httpchk GET /readyz} against its management port: {@code fall} failed checks in a row take it out
 * of rotation, {@code rise} passing ones put it back (2xx and 3xx pass, as in HAProxy). A backend with a check
 * starts out of rotation and enters after {@code rise} passes; one without a check is always in.
 * <p>
 * Method, target, headers (every value, {@code Cookie} included) and {@code Content-Length} bodies are forwarded;
 * hop-by-hop headers are not. The answer comes back whole with every {@code Set-Cookie}, plus {@code X-Backend}
 * naming the backend that served it. A request is retried on another backend only when no connection to the
 * first could be opened, so that nothing reached it (HAProxy's {@code retry-on conn-failure} with
 * {@code option redispatch}); a request that reached a backend is never sent again: its failure is the client's
 * 502. No backend in rotation, or none that accepts a connection, is a 503.
 * <p>
 * With {@link #affinity(String)} it keeps users where they were the way HAProxy's
 * {@code cookie SRV insert indirect nocache} does, as the sticky fleets did before the migration: the first answer
 * sets a cookie naming the backend, and later requests carrying it go to that backend while it is in rotation,
 * whatever its weight (weight 0 then only drains new users away); the cookie is not forwarded.
 * <p>
 * Close it to stop the health checks and the front server.
 */
public final class WeightedProxy implements AutoCloseable {

    static {
        // The JDK's HTTP server writes an answer's head and body in two segments without TCP_NODELAY, so Nagle and
        // the client's delayed ACK add 40 ms to every small answer. Its configuration is read once per JVM, when
        // the first server starts: this helps when the proxy is the first; tests that start JDK servers as
        // backends first set the property themselves.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Hop-by-hop headers (RFC 9110 7.6.1) and the ones the front server or the backend client write themselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "date");

    /**
     * How the proxy checks and forwards.
     *
     * @param checkInterval  time between two health checks of a backend (HAProxy {@code inter}), e.g. 500 ms
     * @param rise           consecutive passing checks that put a backend in rotation
     * @param fall           consecutive failing checks that take it out
     * @param checkTimeout   longest a check may take before it counts as failed
     * @param connectTimeout longest a connect to a backend may take (then the next backend is tried)
     * @param requestTimeout longest a forwarded request may take once sent (then the client gets a 502)
     */
    public record Settings(Duration checkInterval, int rise, int fall, Duration checkTimeout, Duration connectTimeout,
                           Duration requestTimeout) {

        /** Validates every setting, naming it and the bad value. */
        public Settings {
            positive("checkInterval", checkInterval);
            positive("checkTimeout", checkTimeout);
            positive("connectTimeout", connectTimeout);
            positive("requestTimeout", requestTimeout);
            if (rise < 1 || rise > 100) {
                throw new IllegalArgumentException("rise must be 1..100 checks, was " + rise);
            }
            if (fall < 1 || fall > 100) {
                throw new IllegalArgumentException("fall must be 1..100 checks, was " + fall);
            }
        }

        /** HAProxy's defaults, faster: checks every 500 ms with a 400 ms timeout, rise 2, fall 2; 30 s requests. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), 2, 2, Duration.ofMillis(400), Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    /** One backend and what the proxy knows and counted of it. */
    public static final class Backend {
        private final String name;
        private final int port;
        private final int checkPort;
        private final String checkPath;
        private volatile int weight;
        private volatile boolean up;
        private int passes;
        private int fails;
        private long current; // smooth weighted round robin state, guarded by the proxy's pick lock
        private ScheduledFuture<?> check;
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong notSent = new AtomicLong();
        private final AtomicLong checks = new AtomicLong();

        private Backend(String name, int port, int checkPort, String checkPath, int weight) {
            this.name = name;
            this.port = port;
            this.checkPort = checkPort;
            this.checkPath = checkPath;
            this.weight = weight;
            this.up = checkPath == null;
        }

        public String name() {
            return name;
        }

        public int port() {
            return port;
        }

        public int weight() {
            return weight;
        }

        /** Whether its health check lets it take requests (always, without a check). */
        public boolean up() {
            return up;
        }

        /** Requests sent to it (a connect it refused is not one: see {@link #notSent()}). */
        public long requests() {
            return requests.get();
        }

        /** Requests sent to it that failed: no complete answer, or a 5xx. */
        public long failures() {
            return failures.get();
        }

        /** Requests meant for it that it never got because no connection could be opened (sent elsewhere). */
        public long notSent() {
            return notSent.get();
        }

        /** Health checks made so far. */
        public long checks() {
            return checks.get();
        }

        @Override
        public String toString() {
            return name + "(weight " + weight + (up ? ", up" : ", down") + ", requests " + requests + ", failures "
                    + failures + ", not sent " + notSent + ")";
        }
    }

    private final Settings settings;
    private final HttpServer front;
    private final ExecutorService frontThreads = Executors.newCachedThreadPool(daemon("weighted-proxy"));
    private final ScheduledExecutorService checker = Executors.newScheduledThreadPool(2, daemon("weighted-proxy-check"));
    private final NoRetryHttpClient client;
    private final NoRetryHttpClient checkClient;
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final Object pickLock = new Object();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final long t0 = System.nanoTime();
    private volatile String affinityCookie;

    /** Starts the front server on a free port of 127.0.0.1. */
    public WeightedProxy(Settings settings) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = new NoRetryHttpClient(settings.connectTimeout(), true);
        this.checkClient = new NoRetryHttpClient(settings.connectTimeout(), false);
        this.front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        front.setExecutor(frontThreads);
        front.createContext("/", this::forward);
        front.start();
    }

    /**
     * Cookie affinity from the next request on ({@code cookie <name> insert indirect nocache}); null turns it off.
     *
     * @throws IllegalArgumentException when {@code cookie} is not a cookie name
     */
    public void affinity(String cookie) {
        if (cookie != null && !cookie.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("affinity cookie must be 1..64 letters, digits, _ or -, was " + cookie);
        }
        affinityCookie = cookie;
        event(cookie == null ? "affinity off" : "affinity on cookie " + cookie);
    }

    /** The proxy's own port on 127.0.0.1. */
    public int port() {
        return front.getAddress().getPort();
    }

    /** Adds a backend without a health check: in rotation at once, with {@code weight}. */
    public Backend add(String name, int port, int weight) {
        return add(name, port, weight, 0, null);
    }

    /**
     * Adds a backend checked with {@code GET checkPath} on {@code checkPort} (its management port); out of rotation
     * until {@code rise} checks passed.
     *
     * @param weight 0 to 256, as HAProxy allows; 0 takes no requests
     * @throws IllegalArgumentException when the name is taken or a value is out of range
     */
    public Backend add(String name, int port, int weight, int checkPort, String checkPath) {
        Objects.requireNonNull(name, "name");
        checkWeight(name, weight);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + name + " must be 1..65535, was " + port);
        }
        if (checkPath != null && (checkPort < 1 || checkPort > 65535 || !checkPath.startsWith("/"))) {
            throw new IllegalArgumentException("check of " + name + " must be a port 1..65535 and a path starting"
                    + " with /, was " + checkPort + " " + checkPath);
        }
        Backend b = new Backend(name, port, checkPort, checkPath, weight);
        if (backends.putIfAbsent(name, b) != null) {
            throw new IllegalArgumentException("a backend named " + name + " is already there");
        }
        event(name + " added, weight " + weight + (checkPath == null ? ", no check" : ", check " + checkPath));
        if (checkPath != null) {
            synchronized (b) {
                b.check = checker.scheduleWithFixedDelay(() -> check(b), 0,
                        settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return b;
    }

    /** Sets the weight of backend {@code name} from the next request on; 0 drains it. */
    public void weight(String name, int weight) {
        Backend b = backend(name);
        checkWeight(name, weight);
        synchronized (pickLock) {
            b.weight = weight;
            b.current = 0;
        }
        event(name + " weight " + weight);
    }

    /** Takes backend {@code name} out of the proxy for good and stops checking it; requests in flight finish. */
    public void remove(String name) {
        Backend b = backends.remove(name);
        if (b == null) {
            throw new IllegalArgumentException("no backend named " + name);
        }
        synchronized (b) {
            if (b.check != null) {
                b.check.cancel(false);
            }
        }
        b.up = false;
        event(name + " removed");
    }

    /** The backend named {@code name}. */
    public Backend backend(String name) {
        Backend b = backends.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no backend named " + name + "; there are " + backends.keySet());
        }
        return b;
    }

    /** Every backend, in no particular order. */
    public List<Backend> backends() {
        return List.copyOf(backends.values());
    }

    /** What happened to the rotation (adds, weights, checks changing state), with times since the proxy started. */
    public List<String> events() {
        return List.copyOf(events);
    }

    private static void checkWeight(String name, int weight) {
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight of " + name + " must be 0..256, was " + weight);
        }
    }

    private void check(Backend b) {
        boolean ok;
        String why;
        try {
            int status = checkClient.get(b.checkPort, b.checkPath, settings.checkTimeout()).status();
            ok = status >= 200 && status < 400;
            why = "status " + status;
        } catch (IOException | RuntimeException e) {
            ok = false;
            why = e.toString();
        }
        b.checks.incrementAndGet();
        if (!backends.containsKey(b.name)) {
            return;
        }
        if (ok) {
            b.fails = 0;
            if (!b.up && ++b.passes >= settings.rise()) {
                b.up = true;
                event(b.name + " up after " + b.passes + " passing checks");
            }
        } else {
            b.passes = 0;
            if (b.up && ++b.fails >= settings.fall()) {
                b.up = false;
                event(b.name + " down after " + b.fails + " failing checks (" + why + ")");
            }
        }
    }

    /**
     * Smooth weighted round robin over the backends in rotation that are not in {@code tried}: every candidate's
     * current value grows by its weight, the largest wins and gives back the sum of the weights.
     */
    private Backend pick(List<Backend> tried) {
        synchronized (pickLock) {
            Backend best = null;
            long total = 0;
            for (Backend b : backends.values()) {
                if (!b.up || b.weight == 0 || tried.contains(b)) {
                    continue;
                }
                b.current += b.weight;
                total += b.weight;
                if (best == null || b.current > best.current
                        || (b.current == best.current && b.name.compareTo(best.name) < 0)) {
                    best = b;
                }
            }
            if (best != null) {
                best.current -= total;
            }
            return best;
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, values);
                }
            });
            headers.put("X-Forwarded-For", List.of(ex.getRemoteAddress().getAddress().getHostAddress()));
            String target = ex.getRequestURI().toString();
            String sticky = affinityCookie;
            Backend pinned = sticky == null ? null : pinned(headers, sticky);
            List<Backend> tried = new ArrayList<>();
            for (Backend b = pinned != null ? pinned : pick(tried); b != null; b = pick(tried)) {
                tried.add(b);
                NoRetryHttpClient.Response r;
                try {
                    r = client.send(b.port, ex.getRequestMethod(), target, headers, body, settings.requestTimeout());
                } catch (NoRetryHttpClient.NotSentException e) {
                    b.notSent.incrementAndGet();
                    continue; // nothing reached it: the next backend may have it
                } catch (IOException | RuntimeException e) {
                    b.requests.incrementAndGet();
                    b.failures.incrementAndGet();
                    respond(ex, 502, Map.of(), ("backend " + b.name + " failed: " + e).getBytes(StandardCharsets.UTF_8),
                            b, ex.getRequestMethod());
                    return;
                }
                b.requests.incrementAndGet();
                if (r.status() >= 500) {
                    b.failures.incrementAndGet();
                }
                Map<String, List<String>> answer = r.headers();
                if (sticky != null && b != pinned) {
                    answer = new LinkedHashMap<>(answer);
                    List<String> cookies = new ArrayList<>(answer.getOrDefault("set-cookie", List.of()));
                    cookies.add(sticky + "=" + b.name + "; Path=/");
                    answer.put("set-cookie", cookies);
                    answer.put("cache-control", List.of("no-cache=\"set-cookie\""));
                }
                respond(ex, r.status(), answer, r.body(), b, ex.getRequestMethod());
                return;
            }
            respond(ex, 503, Map.of(), (tried.isEmpty() ? "no backend in rotation"
                    : "no backend accepted a connection: " + tried.stream().map(Backend::name).toList())
                    .getBytes(StandardCharsets.UTF_8), null, ex.getRequestMethod());
        }
    }

    /**
     * The backend the affinity cookie names, if it is in rotation; the cookie is taken out of the forwarded
     * {@code Cookie} headers either way.
     */
    private Backend pinned(Map<String, List<String>> headers, String sticky) {
        String name = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!e.getKey().equalsIgnoreCase("Cookie")) {
                continue;
            }
            List<String> kept = new ArrayList<>();
            for (String header : e.getValue()) {
                List<String> pairs = new ArrayList<>();
                for (String pair : header.split(";")) {
                    String t = pair.strip();
                    if (t.startsWith(sticky + "=")) {
                        name = t.substring(sticky.length() + 1);
                    } else if (!t.isEmpty()) {
                        pairs.add(t);
                    }
                }
                if (!pairs.isEmpty()) {
                    kept.add(String.join("; ", pairs));
                }
            }
            e.setValue(kept);
        }
        headers.values().removeIf(List::isEmpty);
        Backend b = name == null ? null : backends.get(name);
        return b != null && b.up ? b : null;
    }

    private static void respond(HttpExchange ex, int status, Map<String, List<String>> headers, byte[] body,
                                Backend b, String method) throws IOException {
        headers.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name)) {
                ex.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        if (b != null) {
            ex.getResponseHeaders().set("X-Backend", b.name);
        }
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1;
        ex.sendResponseHeaders(status, noBody || body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void event(String what) {
        events.add(String.format(Locale.ROOT, "%.3fs %s", (System.nanoTime() - t0) / 1e9, what));
    }

    @Override
    public void close() {
        checker.shutdownNow();
        front.stop(0);
        frontThreads.shutdownNow();
        client.close();
        checkClient.close();
    }

    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
