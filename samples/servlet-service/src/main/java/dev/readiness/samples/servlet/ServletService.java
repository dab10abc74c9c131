package dev.readiness.samples.servlet;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.listen.ListenQueueCheck;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.health.jetty.JettyDrain;
import dev.readiness.health.listen.JettyAcceptQueue;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A plain Jetty 12 servlet service wired with the readiness modules directly, no framework.
 * Start: {@code java -jar servlet-service.jar} (or through the gc-tuning entrypoint), configured by environment
 * variables (see {@code src/docs/samples.md}).
 * <p>
 * What is closed when: the drain closes the registered resources in reverse order of registration, so the
 * development Redis (registered first) is stopped last, after every request finished.
 */
public final class ServletService {

    private static final Logger log = LoggerFactory.getLogger(ServletService.class);

    /**
     * The backlog Jetty asks {@code listen()} for. Jetty's default (0) gives the JDK's 50, which a burst of
     * connections overflows silently; 4096 is the kernel's cap for a pod's network namespace since Linux 5.4
     * (see src/k8s/components/somaxconn for older kernels).
     */
    static final int ACCEPT_QUEUE_SIZE = 4096;

    private final Server server;
    private final ServerConnector http;
    private final HealthRegistry registry;
    private final GracefulDrain drain;
    private final Optional<ListenQueueProbe> listenQueue;

    private ServletService(Config config) throws Exception {
        SampleSettings settings = SampleSettings.from(config);
        registry = HealthRegistry.create();
        // readiness.drain.*: readiness DOWN, propagation delay, stop accepting, in-flight wait, close, exit.
        // Validated now, and a drain that does not fit the termination grace period is reported at start.
        drain = GracefulDrain.builder(registry).settings(DrainConfig.from(config)).build();

        String redisUri;
        if (settings.redisUri().isPresent()) {
            redisUri = settings.redisUri().get();
        } else {
            DevRedis dev = DevRedis.start();
            drain.register("development-redis", dev);
            redisUri = dev.uri();
        }
        log.info("sessions go to Redis at {}", SampleSettings.redact(redisUri));
        drain.register("health-registry", registry);

        // Liveness: a JVM drowning in GC cannot serve and will not recover by itself; a restart is the cure.
        // Also logs at start what in this JVM disagrees with its container (readiness.gc.*).
        GcRuntime.install(registry, config);

        // The ConfigMap directory, reloaded in place when the kubelet swaps ..data; a bad update keeps the last
        // good configuration. Loaded now: a missing or invalid directory fails the start.
        Optional<ConfigMapWatcher> watcher = Optional.empty();
        ConfigReloadConfig reload = ReadinessConfig.mapping(config, ConfigReloadConfig.class);
        if (reload.dir().filter(d -> !d.isBlank()).isPresent()) {
            ConfigMapWatcher started = reload.toBuilder().build().start();
            drain.register("configmap-watcher", started);
            watcher = Optional.of(started);
        } else {
            log.info("readiness.config.dir (READINESS_CONFIG_DIR) is not set: no ConfigMap is watched, /config/{key} answers 404");
        }

        server = new Server(new QueuedThreadPool(200, 8));
        http = new ServerConnector(server);
        http.setPort(settings.port());
        http.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
        server.addConnector(http);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder("sample", new SampleServlet(watcher)), "/*");
        server.setHandler(context);
        // Counts in-flight requests and lets the drain stop accepting and stop the server.
        JettyDrain.install(server, drain);

        // readiness.listen.*: accept-queue overflows and the effective backlog, sampled from /proc; with
        // readiness.listen.readiness-on-overflow=true, overflows also take the pod out of the Service.
        if (ReadinessConfig.mapping(config, ListenQueueConfig.class).isEnabled()) {
            ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueConfig.from(config))
                    .requestedBacklog(JettyAcceptQueue.requestedBacklog(http)).build();
            ListenQueueCheck.registerIfEnabled(registry, probe);
            drain.register("listen-queue-probe", probe);
            listenQueue = Optional.of(probe);
        } else {
            listenQueue = Optional.empty();
        }
    }

    /** Builds and starts the service from {@code config}; {@link #drain()} stops it. */
    public static ServletService start(Config config) throws Exception {
        ServletService service = new ServletService(config);
        try {
            service.server.start();
            service.listenQueue.ifPresent(ListenQueueProbe::start);
            service.registry.start();
            service.registry.markStarted();
        } catch (Exception e) {
            service.drain.drain();
            throw e;
        }
        log.info("servlet-service started: app http://localhost:{}/", service.http.getLocalPort());
        return service;
    }

    /** Drains and stops the service, as SIGTERM does. */
    public DrainReport drain() {
        return drain.drain();
    }

    public static void main(String[] args) throws Exception {
        ServletService service = start(ReadinessConfig.defaults());
        // SIGTERM (and Ctrl-C) -> drain -> exit with readiness.drain.exit-code (0).
        service.drain.installShutdownHook();
        service.server.join();
    }
}
