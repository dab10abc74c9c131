package dev.readiness.samples.servlet;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ChecksConfig;
import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.DrainMetrics;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.listen.ListenQueueCheck;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.core.listen.ListenQueueMetrics;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import dev.readiness.core.reload.ConfigReloadMetrics;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import dev.readiness.gc.runtime.GcRuntime;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
import dev.readiness.health.jetty.JettyDrain;
import dev.readiness.health.jetty.JettyListenerCheck;
import dev.readiness.health.listen.JettyAcceptQueue;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionsConfig;
import dev.readiness.sessions.micrometer.SessionMetrics;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * A plain Jetty 12 servlet service wired with the readiness modules directly, no framework.
 * Start: {@code java -jar servlet-service.jar} (or through the gc-tuning entrypoint), configured by environment
 * variables (see {@code src/docs/samples.md}).
 * <p>
 * What is closed when: the drain closes the registered resources in reverse order of registration, so what
 * {@link #start(Config, Map)} is given to close last (the development run's Redis) is stopped after every
 * request finished.
 */
public final class ServletService {

    private static final Logger log = LoggerFactory.getLogger(ServletService.class);

    static final String NO_REDIS = "no Redis is configured: this instance stays unready until"
            + " READINESS_SESSIONS_REDIS_URI (readiness.sessions.redis.uri) is set, e.g. redis://redis:6379"
            + " (samples/run.sh --servlet starts a local development Redis)";

    /**
     * The backlog Jetty asks {@code listen()} for. Jetty's default (0) gives the JDK's 50, which a burst of
     * connections overflows silently; 4096 is the kernel's cap for a pod's network namespace since Linux 5.4
     * (see src/k8s/components/somaxconn for older kernels).
     */
    static final int ACCEPT_QUEUE_SIZE = 4096;

    private Server server;
    private ServerConnector http;
    private final HealthRegistry registry;
    private final GracefulDrain drain;
    private Optional<ListenQueueProbe> listenQueue;
    private ManagementServer management;
    private PrometheusMeterRegistry metrics;

    /** What was opened, to close it when the start fails half-way (the drain closes it otherwise). */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final CheckOptions checks;

    private ServletService(Config config) {
        // readiness.checks.*: the schedule of the dependency checks (interval, timeout, recovery-interval, ...).
        checks = ChecksConfig.from(config);
        registry = HealthRegistry.builder().dependencyDefaults(checks).build();
        // readiness.drain.*: readiness DOWN, propagation delay, stop accepting, in-flight wait, close, exit.
        // Validated now, and a drain that does not fit the termination grace period is reported at start.
        drain = GracefulDrain.builder(registry).settings(DrainConfig.from(config)).build();
    }

    private void open(Config config) throws Exception {
        SampleSettings settings = SampleSettings.from(config);

        // Sessions in Redis (readiness.sessions.*), so any replica serves any request. The store is closed after
        // the server stopped. Without a Redis the service starts, says so in one line, and stays unready: no
        // session it kept would be seen by another replica. (The development run, DevServletService in the test
        // sources, starts a local Redis instead; this jar holds none.)
        boolean withRedis = settings.redisUri().isPresent();
        SessionSettings sessions = withRedis ? SessionsConfig.from(config) : null;
        SessionMetrics sessionMetrics = new SessionMetrics();
        RedisSessionStore store = null;
        if (withRedis) {
            store = RedisSessionStore.create(sessions, sessions.createCodec(), sessionMetrics);
            log.info("sessions go to Redis at {}", SampleSettings.redact(sessions.redisUri()));
        } else {
            log.warn(NO_REDIS);
        }

        // Management port (readiness.management.*): /livez, /readyz, /startupz from the registry's background
        // results, and /metrics. Started first, so the kubelet's startup probe sees 503 until the app is up, and
        // closed late in the drain, so the probes answer (liveness UP, readiness DOWN) while requests finish.
        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        management = ManagementServer.builder(registry).config(config)
                .handler("/metrics", PrometheusHandler.of(metrics)).start();
        own("management-server", management);
        own("health-registry", registry);
        if (withRedis) {
            own("session-store", store);
            // Degraded by default (readiness.sessions.redis.required=false): every replica shares the Redis, so
            // its outage must not empty the Service; session requests answer 503 at once and the others are served.
            registry.readiness("redis-sessions", store.readinessCheck(),
                    checks.toBuilder().required(sessions.required()).build());
        } else {
            DependencyCheck noRedis = timeout -> CheckResult.down(NO_REDIS);
            registry.readiness("redis-sessions", noRedis, checks.toBuilder().required(true).build());
        }
        sessionMetrics.bindTo(metrics);
        new ProbeMetrics(registry).bindTo(metrics);
        new DrainMetrics(drain).bindTo(metrics);

        // Liveness: a JVM drowning in GC cannot serve and will not recover by itself; a restart is the cure.
        // Also logs at start what in this JVM disagrees with its container (readiness.gc.*). The binder adds
        // Micrometer's own JVM GC and memory meters.
        new GcPressureMetrics(GcRuntime.install(registry, config).orElse(null)).bindTo(metrics);
        // Liveness: threads deadlocked on a monitor or a lock stay so for good, and hold every request that needs
        // one of those locks; a restart is the cure (readiness.liveness.deadlock.enabled).
        if (LivenessSettings.from(SettingsSource.of(config)).deadlockEnabled()) {
            registry.liveness(DeadlockCheck.NAME, new DeadlockCheck());
        }

        // An optional database (database.url, DATABASE_URL): a readiness dependency, never a liveness one, so a
        // database outage never restarts the pods in a loop. Degraded by default (every replica shares the
        // database: a required check would empty the Service); DATABASE_REQUIRED=true takes readiness DOWN while
        // it does not answer. The pool does not fail the start when the database is down.
        Optional<String> dbUrl = config.getOptionalValue("database.url", String.class).filter(u -> !u.isBlank());
        if (dbUrl.isPresent()) {
            HikariConfig hikari = new HikariConfig();
            hikari.setPoolName("database");
            hikari.setJdbcUrl(dbUrl.get().trim());
            config.getOptionalValue("database.username", String.class).ifPresent(hikari::setUsername);
            config.getOptionalValue("database.password", String.class).ifPresent(hikari::setPassword);
            hikari.setMaximumPoolSize(10);
            hikari.setInitializationFailTimeout(-1);
            HikariDataSource pool = own("database", new HikariDataSource(hikari));
            registry.readiness("database", HikariPoolCheck.of(pool),
                    checks.toBuilder().required(settings.databaseRequired()).build());
            pool.setMetricRegistry(metrics);
            log.info("database {} registered as a readiness dependency", SampleSettings.redact(dbUrl.get()));
        }

        // The ConfigMap directory, reloaded in place when the kubelet swaps ..data; a bad update keeps the last
        // good configuration. Loaded now: a missing or invalid directory fails the start.
        Optional<ConfigMapWatcher> watcher = Optional.empty();
        if (SettingsSource.of(config).text(ConfigMapWatcher.DIR.name()).filter(d -> !d.isBlank()).isPresent()) {
            ConfigMapWatcher started = ConfigReloadConfig.from(config).build().start();
            own("configmap-watcher", started);
            new ConfigReloadMetrics(started).bindTo(metrics);
            watcher = Optional.of(started);
        } else {
            log.info("readiness.config.dir (READINESS_CONFIG_DIR) is not set: no ConfigMap is watched, /config/{key} answers 404");
        }

        server = new Server(new QueuedThreadPool(200, 8));
        http = new ServerConnector(server);
        http.setPort(settings.port());
        http.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
        server.addConnector(http);

        // The filter, first in the chain, makes request.getSession() the Redis session. Mirror mode (the migration
        // from sticky instances) keeps the container's session as the truth, so only then has Jetty sessions.
        ServletContextHandler context = new ServletContextHandler(!withRedis
                || sessions.mode() == SessionSettings.Mode.MIRROR
                ? ServletContextHandler.SESSIONS : ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        if (withRedis) {
            context.addFilter(new FilterHolder(new SessionFilter(store, sessions, sessionMetrics)), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder("sample", new SampleServlet(watcher)), "/*");
        server.setHandler(context);
        // Counts in-flight requests and lets the drain stop accepting and stop the server.
        JettyDrain.install(server, drain);
        // Liveness: this port stopped listening while the JVM runs (and no drain closed it) does not heal by
        // itself; a restart does. Read from Jetty's state, so the management port sees the application port die.
        registry.liveness(JettyListenerCheck.NAME, JettyListenerCheck.of(server, drain));

        // readiness.listen.*: accept-queue overflows and the effective backlog, sampled from /proc; with
        // readiness.listen.readiness-on-overflow=true, overflows also take the pod out of the Service.
        ListenQueueSettings listen = ListenQueueConfig.from(config);
        if (listen.enabled()) {
            ListenQueueProbe probe = ListenQueueProbe.builder(listen)
                    .requestedBacklog(JettyAcceptQueue.requestedBacklog(http)).build();
            ListenQueueCheck.registerIfEnabled(registry, probe);
            own("listen-queue-probe", probe);
            new ListenQueueMetrics(probe).bindTo(metrics);
            listenQueue = Optional.of(probe);
        } else {
            listenQueue = Optional.empty();
        }
    }

    /** Registers {@code resource} with the drain, which closes it in reverse order of registration. */
    private <T extends AutoCloseable> T own(String name, T resource) {
        drain.register(name, resource);
        opened.push(resource);
        return resource;
    }

    /**
     * Builds and starts the service from {@code config}; {@link #drain()} stops it. When the start fails, what
     * was opened is closed, so that no thread or child process outlives it, and the exception is thrown.
     */
    public static ServletService start(Config config) throws Exception {
        return start(config, Map.of());
    }

    /**
     * As {@link #start(Config)}, with {@code closedLast} (by name) registered with the drain before anything else,
     * so that they are closed after everything the service opened.
     */
    static ServletService start(Config config, Map<String, AutoCloseable> closedLast) throws Exception {
        ServletService service = new ServletService(config);
        try {
            closedLast.forEach(service::own);
            service.open(config);
            service.server.start();
            service.listenQueue.ifPresent(ListenQueueProbe::start);
            service.registry.start();
            service.registry.markStarted();
        } catch (Exception | Error e) {
            service.abort(e);
            throw e;
        }
        int port = service.http.getLocalPort();
        int mport = service.management.port();
        log.info("servlet-service started: app http://localhost:{}/ (try /session/counter, /slow?ms=500, /config/greeting);"
                + " probes http://localhost:{}/livez /readyz /startupz; metrics http://localhost:{}/metrics", port, mport, mport);
        return service;
    }

    private void abort(Throwable cause) {
        log.error("servlet-service failed to start: {}", cause.toString());
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Drains and stops the service, as SIGTERM does. */
    public DrainReport drain() {
        return drain.drain();
    }

    public static void main(String[] args) throws Exception {
        run(ReadinessConfig.defaults(), Map.of());
    }

    /** Starts the service, then serves until SIGTERM (or Ctrl-C) drains it and exits. */
    static void run(Config config, Map<String, AutoCloseable> closedLast) throws Exception {
        ServletService service = start(config, closedLast);
        // SIGTERM (and Ctrl-C) -> drain -> exit with readiness.drain.exit-code (0).
        service.drain.installShutdownHook();
        service.server.join();
    }
}
