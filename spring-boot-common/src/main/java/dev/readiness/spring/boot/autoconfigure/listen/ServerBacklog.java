package dev.readiness.spring.boot.autoconfigure.listen;

import dev.readiness.health.listen.JettyAcceptQueue;
import dev.readiness.health.listen.TomcatAcceptCount;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

import java.util.OptionalInt;
import java.util.function.IntSupplier;

/**
 * The backlog the embedded web server asks {@code listen()} for, read from the server itself at each sample:
 * Tomcat's {@code acceptCount} ({@code server.tomcat.accept-count}), Jetty's {@code acceptQueueSize}. Without an
 * embedded server it knows, or without readiness-health (which holds the readers), {@code
 * readiness.listen.requested-backlog} (or unknown).
 */
final class ServerBacklog implements IntSupplier {

    // The readers live in readiness-health, an optional module: a server on the class path without it is read
    // as "no server we know" (the configured backlog), never as a NoClassDefFoundError at the first sample.
    private static final boolean TOMCAT = present("org.apache.catalina.connector.Connector")
            && present("dev.readiness.health.listen.TomcatAcceptCount");
    private static final boolean JETTY = present("org.eclipse.jetty.server.Server")
            && present("dev.readiness.health.listen.JettyAcceptQueue");

    private final ApplicationContext context;
    private final OptionalInt configured;

    ServerBacklog(ApplicationContext context, OptionalInt configured) {
        this.context = context;
        this.configured = configured;
    }

    @Override
    public int getAsInt() {
        BootGeneration boot = BootGeneration.current();
        Object server = boot.webServerClasses() ? boot.webServer(context) : null;
        if (server != null) {
            Object tomcat = TOMCAT ? boot.tomcat(server) : null;
            if (tomcat != null) {
                int backlog = Tomcat.backlog(tomcat);
                return backlog >= 0 ? backlog : configured.orElse(-1);
            }
            Object jetty = JETTY ? boot.jetty(server) : null;
            if (jetty != null) {
                return Jetty.backlog(jetty);
            }
        }
        return configured.orElse(-1);
    }

    private static boolean present(String name) {
        return ClassUtils.isPresent(name, ServerBacklog.class.getClassLoader());
    }

    private static final class Tomcat {
        /**
         * The first configured connector's backlog, or -1 before Boot put the connectors back. Never
         * {@code Tomcat.getConnector()}: while Boot starts the server it has removed the connectors, and
         * getConnector() would then create and add a default one on port 8080.
         */
        static int backlog(Object tomcat) {
            org.apache.catalina.connector.Connector[] connectors =
                    ((org.apache.catalina.startup.Tomcat) tomcat).getService().findConnectors();
            return connectors.length == 0 ? -1 : TomcatAcceptCount.requestedBacklog(connectors[0]).getAsInt();
        }
    }

    private static final class Jetty {
        static int backlog(Object jetty) {
            return JettyAcceptQueue.requestedBacklog((org.eclipse.jetty.server.Server) jetty).getAsInt();
        }
    }
}
