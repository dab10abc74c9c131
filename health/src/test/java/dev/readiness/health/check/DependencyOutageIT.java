package dev.readiness.health.check;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.testkit.FreePorts;
import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.CheckListener;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.health.check.http.HttpCheck;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
import dev.readiness.health.check.redis.RedisPingCheck;
import dev.readiness.health.check.resilience4j.CircuitBreakerCheck;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.testkit.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each dependency lost for about {@value #OUTAGE_SECONDS} s and brought back on the same port, with real servers
 * and a real {@link HealthRegistry} at its default dependency options (interval 5 s, timeout 2 s, recovery interval
 * 1 s, connection grace 1 s), watched through the real management server's {@code /readyz} every 20 ms: how long
 * from the loss to the check DOWN and from the return to the check UP, printed one line per scenario, and the
 * {@code readiness.check.down.after} / {@code up.after} timers with the {@code from} tag the way the change came.
 * <p>
 * The bounds are generous for a slow shared machine, yet each catches its feature broken: a recovery that waited
 * for the 5 s interval (recovery interval 0) breaks the gap between evaluations while DOWN ({@link #gapWhileDown},
 * below the interval; each outage lasts until one such evaluation has failed) and the UP bounds; connection events
 * that did not arrive break the {@code from=event} tags and the Redis and breaker DOWN bounds (the first
 * evaluation after the loss is the interval's, 5 s after the one that saw the dependency UP).
 */
class DependencyOutageIT {

    static final int OUTAGE_SECONDS = 5;
    /** How long each dependency stays away (at least: and until its check is DOWN). */
    static final Duration OUTAGE = Duration.ofSeconds(OUTAGE_SECONDS);
    static final Duration POLL = Duration.ofMillis(20);
    /** Scheduling noise on a slow shared 2-core machine, on top of what the options allow. */
    static final Duration SLACK = Duration.ofMillis(1_500);
    static final CheckOptions DEFAULTS = CheckOptions.defaults();
    /** Evaluations of a dependency that refuses connections end in milliseconds. */
    static final Duration FAST = Duration.ZERO;

    /**
     * The longest gap between two results of a DOWN check whose evaluations run at most {@code longestEvaluation}:
     * the recovery interval (1 s, jittered down to half) after the previous result, then the evaluation, plus slack.
     * 2.5 s for an evaluation that fails at once, 4.5 s for one that waits its whole timeout (2 s): both below the
     * 5 s interval that paces the evaluations without the recovery cadence.
     */
    static Duration gapWhileDown(Duration longestEvaluation) {
        return DEFAULTS.recoveryInterval().plus(longestEvaluation).plus(SLACK);
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Evaluation> evaluations = new CopyOnWriteArrayList<>();
    private SimpleMeterRegistry meters;
    private HealthRegistry registry;
    private ManagementServer server;

    record Evaluation(String check, long nanos, boolean up, String message) {
    }

    @BeforeEach
    void start() throws Exception {
        assertThat(DEFAULTS.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(DEFAULTS.recoveryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.connectionGrace()).isEqualTo(Duration.ofSeconds(1));
        meters = new SimpleMeterRegistry();
        registry = HealthRegistry.create();
        new ProbeMetrics(registry).bindTo(meters);
        registry.addCheckListener(new CheckListener() {
            @Override
            public void onResult(Probe probe, String check, CheckResult result, Duration took, boolean timedOut) {
                evaluations.add(new Evaluation(check, System.nanoTime(), result.isUp(), result.message()));
            }
        });
        server = ManagementServer.builder(registry).host("127.0.0.1").port(0).details(true).start();
    }

    @AfterEach
    void stop() {
        // the probes and the checks first, then what the test opened, in reverse
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("DependencyOutageIT: closing " + toClose.get(i) + " failed: " + e);
            }
        }
        if (meters != null) {
            meters.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    // ------------------------------------------------------------------------------------------------ Redis

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void redisKilledAndRestartedWithTheSessionStoresReconnectCap() throws Exception {
        // what the library's session store uses: Lettuce's reconnect backoff capped at 1 s (Lettuce's equalJitter
        // draws up to 100 ms x 2^attempt and clamps it to 10 ms..1 s, so from the 5th attempt on nearly every delay
        // is the 1 s cap)
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.equalJitter(Duration.ofMillis(10), Duration.ofSeconds(1), 100,
                        TimeUnit.MILLISECONDS))
                .build();
        closeLater(() -> resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
        List<Long> attempts = new CopyOnWriteArrayList<>();
        Figures f = redisOutage("redis", redis -> RedisClient.create(resources, redis.uri()), attempts);
        f.print("redis (reconnect capped at 1 s)", "SIGKILL", "restart");
        printAttempts("redis (reconnect capped at 1 s)", f, attempts);

        assertThat(f.down()).as("SIGKILL to DOWN: connection grace 1 s, not the 5 s interval")
                .isLessThanOrEqualTo(DEFAULTS.connectionGrace().plus(Duration.ofSeconds(2)));
        assertThat(f.up()).as("restart to UP: Lettuce reconnects within 1 s, the reconnect is evaluated at once")
                .isLessThanOrEqualTo(Duration.ofSeconds(3));
        f.assertTimers("event", "event");
        f.assertEvaluatedWhileDown();
    }

    @Test
    @Timeout(value = 50, unit = TimeUnit.SECONDS)
    void redisKilledAndRestartedWithLettucesDefaultBackoff() throws Exception {
        // Lettuce's default resources: an exponential reconnect delay up to 30 s (attempts about 0.1 s apart at
        // first, then doubling: after a 5 s outage the next attempt is about 4 s after the return)
        List<Long> attempts = new CopyOnWriteArrayList<>();
        Figures f = redisOutage("redis-default-backoff", redis -> RedisClient.create(redis.uri()), attempts);
        f.print("redis (Lettuce's default backoff)", "SIGKILL", "restart");
        printAttempts("redis (Lettuce's default backoff)", f, attempts);

        assertThat(f.down()).as("SIGKILL to DOWN: the loss is Lettuce's event, whatever its backoff")
                .isLessThanOrEqualTo(DEFAULTS.connectionGrace().plus(Duration.ofSeconds(2)));
        // UP waits for Lettuce's next reconnect attempt: only robust to say that it comes (within the 20 s the
        // outage waits for it), and through the event
        f.assertTimers("event", "event");
        f.assertEvaluatedWhileDown();
    }

    interface ClientFactory {
        RedisClient create(RedisServer redis);
    }

    /** Lettuce's reconnect attempts go into {@code attempts}, as they start. */
    private Figures redisOutage(String name, ClientFactory clients, List<Long> attempts) throws Exception {
        RedisServer first = closeLater(RedisServer.start());
        int port = first.port();
        RedisClient client = clients.create(first);
        closeLater(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        reactor.core.Disposable events = client.getResources().eventBus().get()
                .filter(e -> e instanceof ReconnectAttemptEvent).subscribe(e -> attempts.add(System.nanoTime()));
        closeLater(events::dispose);
        StatefulRedisConnection<String, String> connection = client.connect();
        closeLater(connection);
        registry.readiness(name, RedisPingCheck.of(connection)).start();
        registry.markStarted();
        return outage(name, first::kill, () -> closeLater(RedisServer.start(port)),
                DEFAULTS.connectionGrace().plus(Duration.ofSeconds(5)), Duration.ofSeconds(20), FAST);
    }

    private static void printAttempts(String scenario, Figures f, List<Long> attempts) {
        System.out.printf(Locale.ROOT, "DependencyOutageIT: %s: Lettuce's reconnect attempts (s after the SIGKILL;"
                + " restarted at %+.2f): %s%n", scenario, (f.backAt - f.lostAt) / 1e9, attempts.stream()
                .map(a -> String.format(Locale.ROOT, "%+.2f", (a - f.lostAt) / 1e9)).collect(Collectors.joining(" ")));
    }

    // ------------------------------------------------------------------------------------------------ PostgreSQL

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void postgresStoppedAndStartedAgainOnTheSamePort() throws Exception {
        postgresOutage("postgres", false);
    }

    /**
     * As above while the application keeps borrowing from the pool: HikariCP's creator starts failing at the stop,
     * not at the check's next evaluation, and its backoff has reached 5 s by the time PostgreSQL returns. PostgreSQL
     * starts right after one of the creator's failed attempts: the worst case of that backoff.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void postgresStoppedAndStartedAgainWhileTheApplicationKeepsBorrowing() throws Exception {
        postgresOutage("postgres-busy", true);
    }

    private void postgresOutage(String name, boolean applicationTraffic) throws Exception {
        Path data = Files.createTempDirectory("outage-pg-");
        closeLater(() -> deleteTree(data));
        int port = FreePorts.next();
        EmbeddedPostgres.Builder pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
                .setCleanDataDirectory(false);
        EmbeddedPostgres[] postgres = {pg.start()};
        closeLater(() -> postgres[0].close());

        PGSimpleDataSource target = new PGSimpleDataSource();
        target.setServerNames(new String[]{"127.0.0.1"});
        target.setPortNumbers(new int[]{port});
        target.setDatabaseName("postgres");
        target.setUser("postgres");
        List<long[]> attempts = new CopyOnWriteArrayList<>(); // {nanos, 1 connected / 0 failed}
        HikariConfig c = new HikariConfig();
        c.setDataSource(recordingAttempts(target, attempts));
        c.setMaximumPoolSize(3);
        c.setMinimumIdle(1);
        c.setPoolName(name); // connectionTimeout left at HikariCP's 30 s: the check borrows within its own
        HikariDataSource pool = closeLater(new HikariDataSource(c));
        if (applicationTraffic) {
            closeLater(application(pool));
        }
        registry.readiness(name, HikariPoolCheck.of(pool)).start();
        registry.markStarted();

        Action afterAFailedAttempt = () -> {
            if (applicationTraffic) {
                long now = System.nanoTime();
                long deadline = now + Duration.ofSeconds(6).toNanos(); // HikariCP's longest sleep is 5 s
                while (attempts.stream().noneMatch(a -> a[0] - now > 0) && System.nanoTime() - deadline < 0) {
                    pause(Duration.ofMillis(5));
                }
            }
        };
        Figures f = outage(name, () -> postgres[0].close(), afterAFailedAttempt, () -> postgres[0] = pg.start(),
                DEFAULTS.interval().plus(DEFAULTS.timeout()).plus(Duration.ofSeconds(3)), Duration.ofSeconds(20),
                DEFAULTS.timeout()); // a borrow waits the whole timeout for a connection HikariCP cannot make

        // HikariCP's own connection attempts: its creator sleeps 10 ms, doubling up to 5 s, after each failure
        List<long[]> after = attempts.stream().filter(a -> a[0] - f.lostAt >= 0).toList();
        long firstConnected = after.stream().filter(a -> a[1] == 1).mapToLong(a -> a[0]).min().orElse(-1);
        long lastFailedBeforeReturn = after.stream().filter(a -> a[1] == 0 && a[0] - f.backAt < 0)
                .mapToLong(a -> a[0]).max().orElse(-1);
        String schedule = after.stream().map(a -> String.format(Locale.ROOT, "%+.2f%s", (a[0] - f.lostAt) / 1e9,
                a[1] == 1 ? "ok" : "")).collect(Collectors.joining(" "));
        String scenario = applicationTraffic ? "postgres (HikariCP, application borrowing, started right after a"
                + " failed HikariCP attempt)" : "postgres (HikariCP)";
        f.print(scenario, "stop", "start");
        System.out.printf(Locale.ROOT, "DependencyOutageIT: %s: HikariCP's next connection %.2f s after the return,"
                        + " its last failed attempt %.2f s before the return; the check UP %.2f s after that"
                        + " connection; HikariCP's connection attempts (s after the stop; started again at %+.2f): %s;"
                + " the check said while DOWN: %s%n",
                scenario, (firstConnected - f.backAt) / 1e9, (f.backAt - lastFailedBeforeReturn) / 1e9,
                (f.upAt - firstConnected) / 1e9, (f.backAt - f.lostAt) / 1e9, schedule,
                f.whileDown().stream().filter(e -> !e.up()).map(Evaluation::message).distinct().toList());

        assertThat(f.down()).as("stop to DOWN: at most the interval and the timeout")
                .isLessThanOrEqualTo(DEFAULTS.interval().plus(DEFAULTS.timeout()).plus(SLACK));
        assertThat(firstConnected).as("HikariCP connected again after the return").isNotEqualTo(-1L);
        // HikariCP's backoff decides when a connection exists again; from there the check follows within the
        // recovery interval (an evaluation waiting in its borrow takes the connection at once)
        assertThat(Duration.ofNanos(f.upAt - firstConnected)).as("HikariCP's new connection to UP")
                .isLessThanOrEqualTo(DEFAULTS.recoveryInterval().plus(SLACK));
        // HikariCP's creator sleeps at most 5 s between attempts (hard-coded in HikariPool.PoolEntryCreator)
        assertThat(f.up()).as("start to UP: HikariCP's backoff (at most 5 s) and the recovery interval")
                .isLessThanOrEqualTo(Duration.ofSeconds(5).plus(DEFAULTS.recoveryInterval()).plus(SLACK));
        assertThat(f.whileDown().stream().filter(e -> !e.up()).map(Evaluation::message))
                .as("the check reports HikariCP's own reason (its borrow ends before the engine's timeout)")
                .isNotEmpty().noneMatch(m -> m.startsWith("timed out after"));
        f.assertTimers("last-result", "last-result");
        f.assertEvaluatedWhileDown();
    }

    /** The application: borrows a connection and runs a query every 100 ms, until closed. */
    private static AutoCloseable application(HikariDataSource pool) {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread t = new Thread(() -> {
            while (running.get()) {
                try (java.sql.Connection c = pool.getConnection(); java.sql.Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                } catch (java.sql.SQLException e) {
                    // the database is away: the next borrow waits for HikariCP to connect again
                }
                pause(Duration.ofMillis(100));
            }
        }, "application");
        t.setDaemon(true);
        t.start();
        return () -> {
            running.set(false);
            t.join(5_000);
        };
    }

    /** {@code target}, noting the time and outcome of every connection HikariCP opens. */
    private static DataSource recordingAttempts(DataSource target, List<long[]> attempts) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    boolean connect = method.getName().equals("getConnection");
                    try {
                        Object r = method.invoke(target, args);
                        if (connect) {
                            attempts.add(new long[]{System.nanoTime(), 1});
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        if (connect) {
                            attempts.add(new long[]{System.nanoTime(), 0});
                        }
                        throw e.getCause();
                    }
                });
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /** A JDK HTTP server on a fixed loopback port answering 200 at {@code /ready}, counting requests per agent. */
    private static final class Downstream {
        final int port;
        final AtomicInteger fromCheck = new AtomicInteger();
        final AtomicInteger fromOthers = new AtomicInteger();
        private HttpServer server;
        private ExecutorService executor;

        Downstream(int port) {
            this.port = port;
        }

        Downstream start() throws IOException {
            IOException last = null;
            for (int i = 0; i < 50; i++) { // the port was ours a moment ago; rebinding is immediate on Linux
                try {
                    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                    last = null;
                    break;
                } catch (java.net.BindException e) {
                    last = e;
                    pause(POLL);
                }
            }
            if (last != null) {
                throw last;
            }
            executor = Executors.newCachedThreadPool();
            server.setExecutor(executor);
            server.createContext("/ready", exchange -> {
                try (exchange) {
                    String agent = exchange.getRequestHeaders().getFirst("User-Agent");
                    ("readiness-check".equals(agent) ? fromCheck : fromOthers).incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return this;
        }

        void stop() {
            if (server != null) {
                server.stop(0);
                executor.shutdownNow();
                server = null;
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port + "/ready");
        }
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void httpDownstreamStoppedAndStartedAgainOnTheSamePort() throws Exception {
        Downstream downstream = new Downstream(FreePorts.next()).start();
        closeLater(downstream::stop);
        registry.readiness("downstream", HttpCheck.get(downstream.uri())).start();
        registry.markStarted();

        Figures f = outage("downstream", downstream::stop, downstream::start,
                DEFAULTS.interval().plus(DEFAULTS.timeout()).plus(Duration.ofSeconds(3)), Duration.ofSeconds(15), FAST);
        f.print("http", "stop", "restart");

        assertThat(f.down()).as("stop to DOWN: a refused connection is seen at the next evaluation")
                .isLessThanOrEqualTo(DEFAULTS.interval().plus(DEFAULTS.timeout()).plus(SLACK));
        assertThat(f.up()).as("restart to UP: the recovery interval, not the 5 s interval")
                .isLessThanOrEqualTo(DEFAULTS.recoveryInterval().plus(SLACK));
        f.assertTimers("last-result", "last-result");
        f.assertEvaluatedWhileDown();
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void httpDownstreamBehindACircuitBreakerThatTheChecksOwnCallsClose() throws Exception {
        Downstream downstream = new Downstream(FreePorts.next()).start();
        closeLater(downstream::stop);
        CircuitBreaker breaker = CircuitBreaker.of("downstream", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(2)
                .minimumNumberOfCalls(2).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2)).permittedNumberOfCallsInHalfOpenState(1)
                .build()); // automaticTransitionFromOpenToHalfOpenEnabled left off: only a call leaves OPEN
        List<String> transitions = new CopyOnWriteArrayList<>();
        List<Long> transitionNanos = new CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(e -> {
            transitions.add(e.getStateTransition().getFromState() + ">" + e.getStateTransition().getToState());
            transitionNanos.add(System.nanoTime());
        });
        registry.readiness("downstream-breaker", CircuitBreakerCheck.guarding(breaker, HttpCheck.get(downstream.uri())))
                .start();
        registry.markStarted();
        // the application's own client, through the same breaker
        HttpClient app = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest call = HttpRequest.newBuilder(downstream.uri()).timeout(Duration.ofSeconds(2))
                .header("User-Agent", "application").GET().build();
        int[] appCalls = {0};
        int[] checkCallsAtReturn = {0};

        Figures f = outage("downstream-breaker", () -> {
            downstream.stop();
            // application traffic fails until the breaker opens (2 calls), then stops: the rest is the check's
            while (breaker.getState() == CircuitBreaker.State.CLOSED) {
                appCalls[0]++;
                try {
                    breaker.executeCallable(() -> app.send(call, HttpResponse.BodyHandlers.discarding()));
                } catch (Exception expected) {
                    // refused
                }
            }
        }, () -> {
            downstream.fromCheck.set(0);
            downstream.fromOthers.set(0);
            downstream.start();
        }, DEFAULTS.connectionGrace().plus(Duration.ofSeconds(5)), Duration.ofSeconds(15), FAST);
        f.print("http behind a circuit breaker", "stop", "restart");
        System.out.printf(Locale.ROOT, "DependencyOutageIT: circuit breaker: %d application calls opened it, then"
                        + " transitions %s; closed %.2f s after the restart by the check's own call (%d requests from"
                        + " the check, %d from others after the restart)%n", appCalls[0], transitions,
                (transitionNanos.get(transitions.size() - 1) - f.backAt) / 1e9, downstream.fromCheck.get(),
                downstream.fromOthers.get());

        // one failure beside the check's earlier success is 50 % of the window of 2: the breaker opens
        assertThat(appCalls[0]).as("application calls that opened the breaker").isLessThanOrEqualTo(2);
        assertThat(transitions.get(0)).isEqualTo("CLOSED>OPEN");
        assertThat(f.down()).as("stop to DOWN: the breaker's OPEN event and the connection grace")
                .isLessThanOrEqualTo(DEFAULTS.connectionGrace().plus(Duration.ofSeconds(2)));
        // the check's own evaluations took the breaker through HALF_OPEN to CLOSED: no application call after
        // it opened, and after the restart the downstream saw only the check
        assertThat(transitions).endsWith("OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(downstream.fromOthers.get()).as("requests after the restart not from the check").isZero();
        assertThat(downstream.fromCheck.get()).as("requests after the restart from the check").isPositive();
        assertThat(f.up()).as("restart to UP: the breaker's wait in OPEN (2 s) and the recovery interval")
                .isLessThanOrEqualTo(Duration.ofSeconds(2).plus(DEFAULTS.recoveryInterval()).plus(SLACK));
        // UP is counted from the restore that held: the breaker left OPEN for each failed half-open trial before,
        // and the registry counts the latest restore, the one of the trial that passed
        f.assertTimers("event", "event");
        f.assertEvaluatedWhileDown();
    }

    // ------------------------------------------------------------------------------------------------ engine

    interface Action {
        void run() throws Exception;
    }

    /** The times of one outage, in {@link System#nanoTime()}. */
    final class Figures {
        final String check;
        final long lostAt;
        final long downAt;
        final long restartAt;
        final long backAt;
        final long upAt;
        final Duration gap;

        Figures(String check, long lostAt, long downAt, long restartAt, long backAt, long upAt, Duration gap) {
            this.gap = gap;
            this.check = check;
            this.lostAt = lostAt;
            this.downAt = downAt;
            this.restartAt = restartAt;
            this.backAt = backAt;
            this.upAt = upAt;
        }

        /** From the loss to DOWN. */
        Duration down() {
            return Duration.ofNanos(downAt - lostAt);
        }

        /** From the server answering again (its start returned) to UP; negative when UP came before. */
        Duration up() {
            return Duration.ofNanos(upAt - backAt);
        }

        Timer timer(String name, String from) {
            return meters.find(name).tags("probe", "readiness", "check", check, "from", from).timer();
        }

        String from(String name) {
            return meters.find(name).tags("probe", "readiness", "check", check).timers().stream()
                    .map(t -> t.getId().getTag("from") + " x" + t.count() + " " + String.format(Locale.ROOT, "%.2f s",
                            t.max(TimeUnit.NANOSECONDS) / 1e9)).collect(Collectors.joining(", "));
        }

        void print(String scenario, String loss, String back) {
            System.out.printf(Locale.ROOT, "DependencyOutageIT: %s: DOWN %.2f s after %s (down.after: %s), UP %.2f s"
                            + " after %s (up.after: %s); out for %.2f s, the %s took %.2f s; %d evaluations while DOWN,"
                            + " at most %.2f s apart%n", scenario, down().toNanos() / 1e9, loss,
                    from("readiness.check.down.after"), up().toNanos() / 1e9, back, from("readiness.check.up.after"),
                    (backAt - lostAt) / 1e9, back, (backAt - restartAt) / 1e9, whileDown().size(),
                    maxGapWhileDown().toNanos() / 1e9);
        }

        /**
         * One DOWN and one UP timer, each with the {@code from} tag given (null: either), and values that agree
         * with what the test saw: counted from an event, at most the time from the loss (the return); counted
         * from the last opposite result, at least the time from the loss to DOWN, and for UP at most a recovery
         * gap.
         */
        void assertTimers(String downFrom, String upFrom) {
            assertThat(meters.find("readiness.check.down.after").tags("check", check).timers())
                    .as("down.after timers of " + check).hasSize(1);
            assertThat(meters.find("readiness.check.up.after").tags("check", check).timers())
                    .as("up.after timers of " + check).hasSize(1);
            Timer down = meters.find("readiness.check.down.after").tags("check", check).timer();
            Timer up = meters.find("readiness.check.up.after").tags("check", check).timer();
            assertThat(down.count()).as("DOWN transitions of " + check).isEqualTo(1);
            assertThat(up.count()).as("UP transitions of " + check).isEqualTo(1);
            assertThat(down.getId().getTag("from")).as("down.after from of " + check).isEqualTo(downFrom);
            if (upFrom != null) {
                assertThat(up.getId().getTag("from")).as("up.after from of " + check).isEqualTo(upFrom);
            }
            Duration downAfter = Duration.ofNanos((long) down.max(TimeUnit.NANOSECONDS));
            Duration upAfter = Duration.ofNanos((long) up.max(TimeUnit.NANOSECONDS));
            if (downFrom.equals("event")) {
                assertThat(downAfter).as("down.after from the event, against loss to DOWN seen")
                        .isPositive().isLessThanOrEqualTo(down());
            } else {
                assertThat(downAfter).as("down.after from the last passing result, against loss to DOWN seen")
                        .isGreaterThanOrEqualTo(down().minus(Duration.ofMillis(250)));
            }
            if ("event".equals(up.getId().getTag("from"))) {
                assertThat(upAfter).as("up.after from the event, against restart to UP seen")
                        .isPositive().isLessThanOrEqualTo(Duration.ofNanos(upAt - restartAt));
            } else {
                assertThat(upAfter).as("up.after from the last failing result: one recovery gap")
                        .isPositive().isLessThanOrEqualTo(gap);
            }
        }

        List<Evaluation> whileDown() {
            return evaluations.stream().filter(e -> e.check().equals(check))
                    .filter(e -> e.nanos() - downAt + POLL.toNanos() * 5 >= 0 && e.nanos() - upAt <= 0).toList();
        }

        Duration maxGapWhileDown() {
            List<Evaluation> down = whileDown();
            long max = 0;
            for (int i = 1; i < down.size(); i++) {
                max = Math.max(max, down.get(i).nanos() - down.get(i - 1).nanos());
            }
            return Duration.ofNanos(max);
        }

        /** While DOWN the check was evaluated every recovery interval, not every interval. */
        void assertEvaluatedWhileDown() {
            List<Evaluation> down = whileDown();
            assertThat(down.size()).as("evaluations of " + check + " while DOWN: " + down).isGreaterThanOrEqualTo(2);
            assertThat(maxGapWhileDown()).as("longest gap between evaluations of " + check + " while DOWN: " + down)
                    .isLessThanOrEqualTo(gap);
        }
    }

    /**
     * Waits for the check UP, takes the dependency away, waits for DOWN, keeps it away for {@link #OUTAGE} (and
     * until DOWN was seen), brings it back and waits for UP, all while a watcher polls {@code /readyz}.
     */
    private Figures outage(String check, Action lose, Action restore, Duration downWithin, Duration upWithin,
                           Duration longestEvaluation) throws Exception {
        return outage(check, lose, () -> { }, restore, downWithin, upWithin, longestEvaluation);
    }

    /** As above; {@code beforeRestore} runs once the outage has lasted its time, right before {@code restore}. */
    private Figures outage(String check, Action lose, Action beforeRestore, Action restore, Duration downWithin,
                           Duration upWithin, Duration longestEvaluation) throws Exception {
        Duration gap = gapWhileDown(longestEvaluation);
        assertThat(registry.optionsOf(Probe.READINESS, check)).as("options of " + check)
                .hasToString(DEFAULTS.toString());
        try (ReadyzWatcher watcher = new ReadyzWatcher()) {
            watcher.await(200, System.nanoTime(), Duration.ofSeconds(20), check);
            long lostAt = System.nanoTime();
            lose.run();
            long downAt = watcher.await(503, lostAt, downWithin, check);
            // away for the outage, and until the recovery cadence has evaluated the DOWN check once more
            long reevaluated = awaitFailedEvaluation(check, downAt, gap);
            long holdUntil = Math.max(lostAt + OUTAGE.toNanos(), reevaluated);
            while (System.nanoTime() - holdUntil < 0) {
                pause(POLL);
            }
            beforeRestore.run();
            assertThat(watcher.changesSince(downAt)).as("/readyz changes during the outage").isEmpty();
            long restartAt = System.nanoTime();
            restore.run();
            long backAt = System.nanoTime();
            long upAt = watcher.await(200, restartAt, upWithin, check);
            return new Figures(check, lostAt, downAt, restartAt, backAt, upAt, gap);
        }
    }

    /** When {@code check} was first evaluated and failed after {@code since}, waiting at most {@code within}. */
    private long awaitFailedEvaluation(String check, long since, Duration within) {
        long deadline = since + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (Evaluation e : evaluations) {
                if (e.check().equals(check) && !e.up() && e.nanos() - since > 0) {
                    return e.nanos();
                }
            }
            pause(POLL);
        }
        throw new AssertionError(check + " was not evaluated again within " + within + " of turning DOWN (the"
                + " recovery interval is " + DEFAULTS.recoveryInterval() + ", the interval " + DEFAULTS.interval()
                + "); evaluations: " + evaluations.stream().filter(e -> e.check().equals(check)).toList());
    }

    /** Polls the management server's {@code /readyz} every 20 ms on a thread of its own, noting each change. */
    private final class ReadyzWatcher implements AutoCloseable {
        private final HangScenarios probes = HangScenarios.of(server);
        private final Deque<long[]> changes = new ArrayDeque<>(); // {nanos, status}; guarded by itself
        private final Thread thread;
        private volatile boolean running = true;

        ReadyzWatcher() {
            thread = new Thread(() -> {
                int last = -1;
                while (running) {
                    int status;
                    try {
                        status = probes.get("/readyz").status();
                    } catch (RuntimeException e) {
                        status = -1; // noted as a change: the management server did not answer
                    }
                    long now = System.nanoTime();
                    if (status != last) {
                        synchronized (changes) {
                            changes.add(new long[]{now, status});
                        }
                        last = status;
                    }
                    pause(POLL);
                }
            }, "readyz-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        /** When /readyz was first seen answering {@code status} at or after {@code since}, waiting {@code within}. */
        long await(int status, long since, Duration within, String check) {
            long deadline = since + within.toNanos();
            while (System.nanoTime() - deadline < 0) {
                synchronized (changes) {
                    long[] current = null;
                    for (long[] c : changes) {
                        if (c[0] - since <= 0) {
                            current = c; // the status as of since
                        } else if (c[1] == status) {
                            return c[0];
                        }
                    }
                    if (current != null && current[1] == status && changes.peekLast() == current) {
                        return since; // already there
                    }
                }
                pause(POLL);
            }
            CheckSnapshot s = registry.checks().stream().filter(c -> c.name().equals(check)).findFirst().orElseThrow();
            throw new AssertionError("/readyz did not answer " + status + " within " + within + "; " + check + " is "
                    + s.status() + ": " + s.message());
        }

        List<long[]> changesSince(long nanos) {
            synchronized (changes) {
                return changes.stream().filter(c -> c[0] - nanos > 0).toList();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
