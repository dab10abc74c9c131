package dev.readiness.samples.servlet;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import dev.readiness.gc.runtime.GcRuntime;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A plain Jetty 12 servlet service wired with the readiness modules directly, no framework.
 * Start: {@code java -jar servlet-service.jar}, configured by environment variables (see the samples doc).
 */
public final class ServletService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServletService.class);

    private static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final Server server;
    private final HealthRegistry registry;
    /** Closed in reverse order of opening: what was opened first (the development Redis) is closed last. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private ServletService(Config config) throws Exception {
        SampleSettings settings = SampleSettings.from(config);
        String redisUri;
        if (settings.redisUri().isPresent()) {
            redisUri = settings.redisUri().get();
        } else {
            DevRedis dev = DevRedis.start();
            resources.push(dev);
            redisUri = dev.uri();
        }
        log.info("sessions go to Redis at {}", SampleSettings.redact(redisUri));

        registry = HealthRegistry.create();
        resources.push(registry);
        // Liveness: a JVM drowning in GC cannot serve and will not recover by itself; a restart is the cure.
        // Also logs at start what in this JVM disagrees with its container (readiness.gc.*).
        GcRuntime.install(registry, config);

        server = new Server(new QueuedThreadPool(200, 8));
        ServerConnector http = new ServerConnector(server);
        http.setPort(settings.port());
        server.addConnector(http);

        // The ConfigMap directory, reloaded in place when the kubelet swaps ..data; a bad update keeps the last
        // good configuration. Loaded now: a missing or invalid directory fails the start.
        Optional<ConfigMapWatcher> watcher = Optional.empty();
        ConfigReloadConfig reload = ReadinessConfig.mapping(config, ConfigReloadConfig.class);
        if (reload.dir().filter(d -> !d.isBlank()).isPresent()) {
            ConfigMapWatcher started = reload.toBuilder().build().start();
            resources.push(started);
            watcher = Optional.of(started);
        } else {
            log.info("readiness.config.dir (READINESS_CONFIG_DIR) is not set: no ConfigMap is watched, /config/{key} answers 404");
        }

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder("sample", new SampleServlet(watcher)), "/*");
        // Jetty's own graceful stop: stop accepting, let in-flight requests finish for up to the drain timeout.
        server.setHandler(new GracefulHandler(context));
        server.setStopTimeout(DRAIN_TIMEOUT.toMillis());
    }

    /** Builds and starts the service from {@code config}; the caller closes it. */
    public static ServletService start(Config config) throws Exception {
        ServletService service = new ServletService(config);
        try {
            service.server.start();
            service.registry.start();
            service.registry.markStarted();
        } catch (Exception e) {
            service.close();
            throw e;
        }
        log.info("servlet-service started: app http://localhost:{}/", service.port());
        return service;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping Jetty failed", e);
        }
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed", r, e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        ServletService service = start(ReadinessConfig.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "servlet-service-shutdown"));
        service.server.join();
    }
}
