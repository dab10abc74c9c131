package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.health.saturation.ConcurrencySaturation;
import dev.readiness.health.saturation.Saturation;
import dev.readiness.health.saturation.SaturationSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The application server's saturation, found once the server runs: requests in flight over
 * {@code readiness.saturation.concurrency-target} when it is set; else Tomcat's or Jetty's worker pool; else none,
 * with one WARN naming the key to set. NaN until found. The management server's own context is ignored.
 */
final class ServerSaturation implements Saturation, ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ServerSaturation.class);
    private static final boolean TOMCAT = ClassUtils.isPresent("org.springframework.boot.tomcat.TomcatWebServer",
            ServerSaturation.class.getClassLoader());
    private static final boolean JETTY = ClassUtils.isPresent("org.springframework.boot.jetty.JettyWebServer",
            ServerSaturation.class.getClassLoader())
            && ClassUtils.isPresent("org.eclipse.jetty.util.thread.QueuedThreadPool", ServerSaturation.class.getClassLoader());

    private final SaturationSettings settings;
    private final InFlightTracker tracker;
    private final List<Consumer<Saturation>> onFound = new CopyOnWriteArrayList<>();
    private volatile Saturation found;
    private volatile int port = -1;

    ServerSaturation(SaturationSettings settings, InFlightTracker tracker) {
        this.settings = settings;
        this.tracker = tracker;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace != null && !namespace.isEmpty() || found != null) {
            return;
        }
        port = event.getWebServer().getPort();
        if (!settings.enabled()) {
            return;
        }
        Optional<Saturation> source = resolve(event.getWebServer());
        if (source.isEmpty()) {
            log.warn(SaturationSettings.missingTargetWarning(event.getWebServer().getClass().getSimpleName()));
            return;
        }
        found = source.get();
        log.info("readiness.saturation from {}", found);
        onFound.forEach(c -> c.accept(found));
    }

    private Optional<Saturation> resolve(WebServer server) {
        if (settings.concurrencyTarget().isPresent()) {
            return Optional.of(ConcurrencySaturation.of(tracker, settings.concurrencyTarget().getAsInt()));
        }
        if (TOMCAT) {
            Optional<Saturation> s = TomcatSource.of(server);
            if (s.isPresent()) {
                return s;
            }
        }
        if (JETTY) {
            return JettySource.of(server);
        }
        return Optional.empty();
    }

    /** Calls {@code consumer} with the source once it is found (at once when it already is). */
    void whenFound(Consumer<Saturation> consumer) {
        onFound.add(consumer);
        Saturation s = found;
        if (s != null) {
            consumer.accept(s);
        }
    }

    /** The source found, if any yet. */
    Optional<Saturation> found() {
        return Optional.ofNullable(found);
    }

    /** The tracker the concurrency target divides: the drain's, or one of this source's own. */
    InFlightTracker tracker() {
        return tracker;
    }

    /** The application server's port, -1 before it started. */
    int port() {
        return port;
    }

    @Override
    public double value() {
        Saturation s = found;
        return s == null ? Double.NaN : s.value();
    }

    @Override
    public String source() {
        Saturation s = found;
        return s == null ? "none" : s.source();
    }

    @Override
    public String toString() {
        return "ServerSaturation[" + found + "]";
    }

    private static final class TomcatSource {
        static Optional<Saturation> of(WebServer server) {
            if (server instanceof org.springframework.boot.tomcat.TomcatWebServer tomcat) {
                org.apache.catalina.connector.Connector[] connectors = tomcat.getTomcat().getService().findConnectors();
                if (connectors.length > 0 && dev.readiness.health.saturation.TomcatSaturation.supports(connectors[0])) {
                    return Optional.of(dev.readiness.health.saturation.TomcatSaturation.of(connectors[0]));
                }
            }
            return Optional.empty();
        }
    }

    private static final class JettySource {
        static Optional<Saturation> of(WebServer server) {
            if (server instanceof org.springframework.boot.jetty.JettyWebServer jetty
                    && dev.readiness.health.saturation.JettySaturation.supports(jetty.getServer())) {
                return Optional.of(dev.readiness.health.saturation.JettySaturation.of(jetty.getServer()));
            }
            return Optional.empty();
        }
    }
}
