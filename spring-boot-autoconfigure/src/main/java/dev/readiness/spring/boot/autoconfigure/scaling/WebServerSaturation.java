package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.health.saturation.Saturation;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;

import java.util.Optional;

/**
 * Tells {@link ServerSaturation} when the application's web server has started, with its Tomcat or Jetty pool. The
 * management server's own context is ignored. Loaded only where Spring's web-server module is on the class path.
 */
final class WebServerSaturation implements ApplicationListener<WebServerInitializedEvent> {

    private static final ClassLoader LOADER = WebServerSaturation.class.getClassLoader();
    private static final boolean TOMCAT = ClassUtils.isPresent("org.springframework.boot.tomcat.TomcatWebServer", LOADER);
    private static final boolean JETTY = ClassUtils.isPresent("org.springframework.boot.jetty.JettyWebServer", LOADER)
            && ClassUtils.isPresent("org.eclipse.jetty.util.thread.QueuedThreadPool", LOADER);

    private final ServerSaturation saturation;

    WebServerSaturation(ServerSaturation saturation) {
        this.saturation = saturation;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String namespace = event.getApplicationContext().getServerNamespace();
        if (namespace != null && !namespace.isEmpty()) {
            return;
        }
        WebServer server = event.getWebServer();
        saturation.serverStarted(server.getClass().getSimpleName(), server.getPort(), pool(server));
    }

    private static Optional<Saturation> pool(WebServer server) {
        if (TOMCAT) {
            Optional<Saturation> s = TomcatSource.of(server);
            if (s.isPresent()) {
                return s;
            }
        }
        return JETTY ? JettySource.of(server) : Optional.empty();
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
