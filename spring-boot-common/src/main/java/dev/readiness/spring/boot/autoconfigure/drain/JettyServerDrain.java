package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.health.jetty.InFlightHandler;
import dev.readiness.health.jetty.JettyDrain;
import org.eclipse.jetty.server.Server;

/**
 * readiness-health's {@link JettyDrain} on Spring Boot's Jetty. As a Jetty server customizer (Boot has set its handler,
 * the server has not started) it wraps the handler with an {@link InFlightHandler} on the drain's tracker, turns
 * off Jetty's own {@code stopAtShutdown} hook, and adds the adapter to the drain. The adapter closes the
 * connectors' listening sockets and the idle connections; stopping Jetty is left to Spring Boot.
 */
final class JettyServerDrain {

    private final GracefulDrain drain;

    JettyServerDrain(GracefulDrain drain) {
        this.drain = drain;
    }

    void customize(Server server) {
        server.setStopAtShutdown(false);
        InFlightHandler handler = new InFlightHandler(drain.tracker(), server.getHandler());
        server.setHandler(handler);
        JettyDrain adapter = new JettyDrain(server, handler);
        drain.server(new DrainableServer() {
            @Override
            public String name() {
                return adapter.name();
            }

            @Override
            public void stopAccepting() {
                adapter.stopAccepting();
            }
        });
    }
}
