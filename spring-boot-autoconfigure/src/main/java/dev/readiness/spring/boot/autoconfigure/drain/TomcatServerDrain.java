package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.health.tomcat.TomcatDrain;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * readiness-health's {@link TomcatDrain} on Spring Boot's Tomcat, reached through the context once it runs:
 * closes the listening sockets and the idle keep-alive connections. Stopping Tomcat is left to Spring Boot, which
 * does it after the drain (a second stop would race Boot's graceful shutdown). Boot already sets
 * {@code bindOnInit=false}, which closing the socket early needs.
 */
final class TomcatServerDrain implements DrainableServer {

    private final WebServerApplicationContext context;

    TomcatServerDrain(WebServerApplicationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    public void stopAccepting() {
        WebServer server = context.getWebServer();
        if (server instanceof TomcatWebServer tomcat) {
            new TomcatDrain(tomcat.getTomcat()).stopAccepting();
        }
    }
}
