package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.health.tomcat.TomcatDrain;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.springframework.context.ApplicationContext;

/**
 * readiness-health's {@link TomcatDrain} on Spring Boot's Tomcat, reached through the context once it runs:
 * closes the listening sockets and the idle keep-alive connections. Stopping Tomcat is left to Spring Boot, which
 * does it after the drain (a second stop would race Boot's graceful shutdown). Boot already sets
 * {@code bindOnInit=false}, which closing the socket early needs.
 */
final class TomcatServerDrain implements DrainableServer {

    private final ApplicationContext context;

    TomcatServerDrain(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    public void stopAccepting() {
        BootGeneration boot = BootGeneration.current();
        Object server = boot.webServer(context);
        if (server != null && boot.tomcat(server) instanceof org.apache.catalina.startup.Tomcat tomcat) {
            new TomcatDrain(tomcat).stopAccepting();
        }
    }
}
