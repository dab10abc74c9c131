package dev.readiness.war;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.ChecksConfig;
import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import dev.readiness.gc.runtime.GcConfig;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.core.listen.ListenQueueCheck;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.listen.ListenQueueSettings;
import dev.readiness.health.management.ManagementConfig;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.ManagementSettings;
import dev.readiness.health.saturation.ConcurrencySaturation;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationSettings;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.health.tomcat.TomcatListenerCheck;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionsConfig;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything readiness does for one webapp, wired from its {@code readiness.*} settings ({@link WarConfig}):
 * <ul>
 *   <li>the {@link HealthRegistry}, with the deadlock liveness check ({@code readiness.liveness.deadlock.enabled})
 *       and the gc-pressure one, after the GC advice at start ({@code readiness.gc.*}); on Tomcat with the
 *       listener, the {@code http-listener} one ({@code readiness.liveness.http-listener.enabled});</li>
 *   <li>the listen-queue probe ({@code readiness.listen.*}) and the saturation gauge ({@code readiness.saturation.*}:
 *       Tomcat's pool through the listener, or requests in flight over the concurrency target);</li>
 *   <li>the {@link ManagementServer}: {@code /livez}, {@code /readyz}, {@code /startupz} on
 *       {@code readiness.management.port} (8081), started first, so the startup probe answers 503 until the
 *       webapp is up, and {@code /metrics} ({@link WarMetrics}) when Micrometer's Prometheus registry is in
 *       {@code WEB-INF/lib};</li>
 *   <li>the {@link InFlightFilter} first in the chain, then the sessions {@link SessionFilter} with a
 *       {@link RedisSessionStore} when {@code readiness.sessions.redis.uri} is set; when it is not, one log line
 *       says so, no session filter is added and a required readiness check {@value #NO_REDIS_CHECK} stays DOWN;</li>
 *   <li>the ConfigMap watcher when {@code readiness.config.dir} is set ({@link #configMap()});</li>
 *   <li>a {@link GracefulDrain} that {@code ReadinessLifecycleListener} runs on Tomcat's stop, or, without the
 *       listener, that runs when the context stops, after Tomcat paused its connectors: then with no propagation
 *       delay, since no request reaches the webapp any more.</li>
 * </ul>
 * The drain closes what was opened in reverse order; {@link #close()} (on {@code contextDestroyed}) runs it if
 * nothing did. Published as the context attribute {@value #ATTRIBUTE}: {@link #of(ServletContext)}.
 */
public final class ReadinessWar implements AutoCloseable {

    /** The servlet context attribute holding this object. */
    public static final String ATTRIBUTE = "dev.readiness.war.ReadinessWar";
    /** The readiness check that is DOWN when no Redis is configured. */
    public static final String NO_REDIS_CHECK = "redis-sessions";
    static final String IN_FLIGHT_FILTER = "readiness-in-flight";
    static final String SESSION_FILTER = "readiness-sessions";

    private static final Logger log = LoggerFactory.getLogger(ReadinessWar.class);

    private final HealthRegistry registry;
    private final GracefulDrain drain;
    private final ManagementServer management;
    private final Optional<ConfigMapWatcher> configMap;
    private final WarDrain bridge;
    private final ListenQueueProbe listenProbe;

    private ReadinessWar(HealthRegistry registry, GracefulDrain drain, ManagementServer management,
                         Optional<ConfigMapWatcher> configMap, WarDrain bridge, ListenQueueProbe listenProbe) {
        this.registry = registry;
        this.drain = drain;
        this.management = management;
        this.configMap = configMap;
        this.bridge = bridge;
        this.listenProbe = listenProbe;
    }

    /**
     * Wires readiness into {@code context} (before it initialises: from a {@code ServletContainerInitializer}).
     * When anything fails, what was opened is closed and the exception is thrown: the context does not start.
     *
     * @throws dev.readiness.core.config.ReadinessConfigException naming the key, the value and what is allowed
     */
    public static ReadinessWar start(ServletContext context, Config config) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(config, "config");
        // Every setting is read and validated before anything opens: a bad value fails the deployment at once.
        CheckOptions checks = ChecksConfig.from(config);
        DrainSettings drainSettings = DrainConfig.from(config);
        ManagementSettings managementSettings = ManagementConfig.from(config);
        SessionSettings sessions = readSessions(config);
        LivenessSettings liveness = LivenessSettings.from(SettingsSource.of(config));
        ListenQueueSettings listen = ListenQueueConfig.from(config);
        SaturationSettings saturation = SaturationSettings.from(SettingsSource.of(config));
        GcConfig.from(config); // readiness.gc.*, validated here with the rest; GcRuntime reads it again below
        Optional<ConfigMapWatcher.Builder> watch = SettingsSource.of(config).text(ConfigMapWatcher.DIR.name())
                .filter(d -> !d.isBlank()).map(d -> ConfigReloadConfig.from(config));
        // The first use of the context: nothing was opened yet when the settings were refused.
        javax.management.ObjectName drainName = WarDrain.nameFor(context.getVirtualServerName(),
                context.getContextPath());
        boolean listener = WarDrain.listenerPresent();
        if (!listener) {
            log.warn("readiness: no dev.readiness.tomcat.ReadinessLifecycleListener in this JVM: on shutdown Tomcat"
                    + " pauses its connectors before the webapps stop, so this drain runs at context stop, without"
                    + " its propagation delay. Add readiness-tomcat-listener.jar to $CATALINA_BASE/lib and"
                    + " <Listener className=\"dev.readiness.tomcat.ReadinessLifecycleListener\"/> to server.xml");
            drainSettings = drainSettings.toBuilder().propagationDelay(Duration.ZERO).build();
        }

        HealthRegistry registry = HealthRegistry.builder().dependencyDefaults(checks).build();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(drainSettings).build();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        WarDrain bridge = null;
        try {
            WarMetrics metrics = prometheusPresent() ? own(drain, opened, "metrics", new WarMetrics()) : null;
            ManagementServer.Builder managementBuilder = ManagementServer.builder(registry).settings(managementSettings);
            // liveness: a JVM drowning in GC cannot serve and will not recover by itself (readiness.gc.*)
            GcPressureCheck gcPressure = GcRuntime.install(registry, config).orElse(null);
            if (metrics != null) {
                managementBuilder.handler("/metrics", metrics.handler());
                metrics.bind(registry, drain, gcPressure);
            } else {
                log.info("readiness: io.micrometer:micrometer-registry-prometheus is not in WEB-INF/lib: no /metrics on"
                        + " the management port. Add it (readiness-war brings it unless it is excluded)");
            }
            ManagementServer management = own(drain, opened, "management-server", managementBuilder.start());
            own(drain, opened, "health-registry", registry);
            if (liveness.deadlockEnabled()) {
                registry.liveness(DeadlockCheck.NAME, new DeadlockCheck());
            }
            // Tomcat's connectors, which the listener publishes: the http-listener check, the pool's saturation and
            // the requested backlog. None on another container or without the listener (it warned above).
            Optional<WarConnectors> connectors = listener ? WarConnectors.find() : Optional.empty();
            if (liveness.httpListenerEnabled() && connectors.isPresent()) {
                registry.liveness(TomcatListenerCheck.NAME,
                        connectors.get().listenerCheck(() -> drain.phase() != DrainPhase.SERVING));
            }
            // readiness.saturation: requests in flight (the in-flight filter's count) over the target, on any
            // container; else Tomcat's pool through the listener's connectors
            Optional<Saturation> saturationSource = saturation.choose(context.getServerInfo(),
                    target -> ConcurrencySaturation.of(drain.tracker(), target),
                    connectors.flatMap(WarConnectors::saturation), log::warn);
            if (metrics != null) {
                saturationSource.ifPresent(metrics::bind);
            }
            ListenQueueProbe listenProbe = null;
            if (listen.enabled()) {
                ListenQueueProbe.Builder probe = ListenQueueProbe.builder(listen);
                connectors.ifPresent(c -> probe.requestedBacklog(c.requestedBacklog()));
                listenProbe = own(drain, opened, "listen-queue-probe", probe.build());
                ListenQueueCheck.registerIfEnabled(registry, listenProbe);
                if (metrics != null) {
                    metrics.bind(listenProbe);
                }
            }

            FilterRegistration.Dynamic inFlight = context.addFilter(IN_FLIGHT_FILTER, new InFlightFilter(drain.tracker()));
            requireAdded(inFlight, IN_FLIGHT_FILTER);
            inFlight.setAsyncSupported(true);
            // isMatchAfter=false: before the filters of web.xml; the in-flight filter first of all.
            inFlight.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");

            if (sessions != null) {
                RedisSessionStore store = own(drain, opened, "session-store", metrics == null
                        ? RedisSessionStore.create(sessions)
                        : RedisSessionStore.create(sessions, sessions.createCodec(), metrics.sessionEvents()));
                registry.readiness("redis-sessions", store.readinessCheck(),
                        checks.toBuilder().required(sessions.required()).build());
                FilterRegistration.Dynamic filter = context.addFilter(SESSION_FILTER, new SessionFilter(store, sessions));
                requireAdded(filter, SESSION_FILTER);
                filter.setAsyncSupported(true);
                filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
                log.info("readiness: sessions go to Redis at {}", SessionSettings.REDIS_URI.show(sessions.redisUri()));
            } else {
                log.warn("readiness: readiness.sessions.redis.uri (READINESS_SESSIONS_REDIS_URI) is not set: no"
                        + " Redis is configured, sessions stay in this container and readiness stays DOWN");
                registry.readiness(NO_REDIS_CHECK, (DependencyCheck) timeout -> CheckResult.down("readiness.sessions.redis.uri"
                        + " (READINESS_SESSIONS_REDIS_URI) is not set"), checks.toBuilder().required(true).build());
            }

            Optional<ConfigMapWatcher> configMap = Optional.empty();
            if (watch.isPresent()) {
                configMap = Optional.of(own(drain, opened, "configmap-watcher", watch.get().build().start()));
                if (metrics != null) {
                    metrics.bind(configMap.get());
                }
            }

            bridge = WarDrain.register(drain, drainName);
            ReadinessWar war = new ReadinessWar(registry, drain, management, configMap, bridge, listenProbe);
            context.setAttribute(ATTRIBUTE, war);
            log.info("readiness: {} wired: probes on port {}, drain {}{}", bridge.objectName(), management.port(),
                    drainSettings, listener ? " on Tomcat's stop (ReadinessLifecycleListener)" : " at context stop");
            return war;
        } catch (RuntimeException | Error e) {
            if (bridge != null) {
                bridge.unregister();
            }
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code readiness.sessions.*}, or null when no Redis URI is set. Without one the other sessions keys are
     * still validated (against a placeholder URI), so a bad value is refused whether or not Redis is configured.
     */
    private static SessionSettings readSessions(Config config) {
        SettingsSource source = SettingsSource.of(config);
        boolean set = source.text(SessionSettings.REDIS_URI.name()).filter(u -> !u.isBlank()).isPresent();
        if (set) {
            return SessionsConfig.from(config);
        }
        SessionSettings.from(key -> key.equals(SessionSettings.REDIS_URI.name())
                ? java.util.Optional.of("redis://localhost:6379") : source.text(key));
        return null;
    }

    /** Whether Micrometer's Prometheus registry is on the webapp's class path ({@link WarMetrics} needs it). */
    static boolean prometheusPresent() {
        try {
            Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", false,
                    ReadinessWar.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void requireAdded(FilterRegistration.Dynamic registration, String name) {
        if (registration == null) {
            throw new IllegalStateException("a filter named '" + name + "' is already declared in this webapp:"
                    + " readiness-war adds it itself; remove it from web.xml");
        }
    }

    private static <T extends AutoCloseable> T own(GracefulDrain drain, Deque<AutoCloseable> opened, String name,
                                                   T resource) {
        drain.register(name, resource);
        opened.push(resource);
        return resource;
    }

    /** The webapp's readiness, or an error saying why it is missing. */
    public static ReadinessWar of(ServletContext context) {
        if (context.getAttribute(ATTRIBUTE) instanceof ReadinessWar war) {
            return war;
        }
        throw new IllegalStateException("no " + ATTRIBUTE + " in this context: readiness-war is not in WEB-INF/lib,"
                + " or the container skipped its ServletContainerInitializer (metadata-complete or an"
                + " absolute-ordering that leaves it out)");
    }

    /** Starts the checks and marks the webapp started (from {@code contextInitialized}). */
    void started() {
        registry.start();
        registry.markStarted();
        if (listenProbe != null) {
            // the connectors start after the webapps: the backlog advice reads what they ask for (acceptCount)
            // and somaxconn, and the samples find their sockets once they listen
            listenProbe.start();
        }
    }

    public HealthRegistry registry() {
        return registry;
    }

    public GracefulDrain drain() {
        return drain;
    }

    public int managementPort() {
        return management.port();
    }

    /** The watched ConfigMap directory; empty when {@code readiness.config.dir} is not set. */
    public Optional<ConfigMapWatcher> configMap() {
        return configMap;
    }

    /** Runs the drain unless the Tomcat listener already did, and unregisters the MBean. */
    @Override
    public void close() {
        try {
            if (drain.phase() != DrainPhase.STOPPED) { // the listener drained already on Tomcat's stop
                DrainReport report = drain.drain();
                log.debug("readiness: drain report {}", report);
            }
        } finally {
            bridge.unregister();
        }
    }
}
