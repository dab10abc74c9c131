package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.health.saturation.Saturation;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;

import java.util.Optional;

/**
 * Tells {@link ServerSaturation} when the application's web server has started, with its Tomcat or Jetty pool. The
 * management server's own context is ignored. Loaded only where Spring's web-server module is on the class path.
 */
final class WebServerSaturation implements ApplicationListener<ApplicationEvent> {

    private static final ClassLoader LOADER = WebServerSaturation.class.getClassLoader();
    private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.connector.Connector", LOADER);
    private static final boolean JETTY = ClassUtils.isPresent("org.eclipse.jetty.util.thread.QueuedThreadPool", LOADER);

    private final ServerSaturation saturation;

    WebServerSaturation(ServerSaturation saturation) {
        this.saturation = saturation;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        BootGeneration boot = BootGeneration.current();
        if (boot.startedWebServer(event) instanceof WebServer server) {
            saturation.serverStarted(server.getClass().getSimpleName(), server.getPort(), pool(boot, server));
        }
    }

    private static Optional<Saturation> pool(BootGeneration boot, WebServer server) {
        Object tomcat = TOMCAT ? boot.tomcat(server) : null;
        if (tomcat != null) {
            return TomcatSource.of(tomcat);
        }
        Object jetty = JETTY ? boot.jetty(server) : null;
        return jetty != null ? JettySource.of(jetty) : Optional.empty();
    }

    private static final class TomcatSource {
        static Optional<Saturation> of(Object tomcat) {
            org.apache.catalina.connector.Connector[] connectors =
                    ((org.apache.catalina.startup.Tomcat) tomcat).getService().findConnectors();
            if (connectors.length > 0 && dev.readiness.health.saturation.TomcatSaturation.supports(connectors[0])) {
                return Optional.of(dev.readiness.health.saturation.TomcatSaturation.of(connectors[0]));
            }
            return Optional.empty();
        }
    }

    private static final class JettySource {
        static Optional<Saturation> of(Object jetty) {
            org.eclipse.jetty.server.Server server = (org.eclipse.jetty.server.Server) jetty;
            if (dev.readiness.health.saturation.JettySaturation.supports(server)) {
                return Optional.of(dev.readiness.health.saturation.JettySaturation.of(server));
            }
            return Optional.empty();
        }
    }
}
