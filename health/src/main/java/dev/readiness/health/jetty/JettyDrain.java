package dev.readiness.health.jetty;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.ListeningSockets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Drain adapter for a Jetty 12 {@link Server}.
 * <pre>
 * Server server = ...;                        // connectors and handler set up
 * JettyDrain.install(server, drain);           // before server.start()
 * </pre>
 * {@link #install} wraps the server's handler with an {@link InFlightHandler} fed by the drain's tracker, and
 * turns off Jetty's {@code stopAtShutdown}, whose hook would stop the server at SIGTERM.
 * {@link #stopAccepting()} closes every network connector's listening socket (new connections are refused, not
 * left in the accept queue) and closes the keep-alive connections that have no request in flight; connections
 * with a request in flight close after its response, which carries {@code Connection: close}. A connection
 * whose request is finishing at that very moment (its response already sent) still counts as busy: it closes
 * after its next response, which says {@code Connection: close}, or when the server stops. {@link #stop()}
 * stops the server.
 */
public final class JettyDrain implements DrainableServer {

    private static final Logger log = LoggerFactory.getLogger(JettyDrain.class);

    private final Server server;
    private final InFlightHandler handler;

    public JettyDrain(Server server, InFlightHandler handler) {
        this.server = Objects.requireNonNull(server, "server");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Wraps {@code server}'s handler with an {@link InFlightHandler} on {@code drain}'s tracker and adds the
     * adapter to the drain. Call before the server starts.
     *
     * @throws IllegalStateException when the server has no handler yet
     */
    public static JettyDrain install(Server server, GracefulDrain drain) {
        if (server.getHandler() == null) {
            throw new IllegalStateException("set the server's handler before installing the drain");
        }
        if (server.getStopAtShutdown()) {
            // Jetty's own shutdown hook would stop the server at SIGTERM, before the propagation delay.
            log.warn("jetty: stopAtShutdown turned off; the drain stops the server once in-flight requests finished");
            server.setStopAtShutdown(false);
        }
        InFlightHandler h = new InFlightHandler(drain.tracker(), server.getHandler());
        server.setHandler(h);
        JettyDrain adapter = new JettyDrain(server, h);
        drain.server(adapter);
        return adapter;
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public void stopAccepting() {
        int idleClosed = 0;
        for (Connector c : server.getConnectors()) {
            if (c instanceof NetworkConnector nc) {
                int port = nc.getLocalPort();
                nc.close();
                ListeningSockets.awaitRefused(nc.getHost(), port, ListeningSockets.DEFAULT_WAIT);
            }
        }
        for (Connector c : server.getConnectors()) {
            for (EndPoint ep : c.getConnectedEndPoints()) {
                if (!handler.busyConnections().contains(ep.getConnection())) {
                    ep.close();
                    idleClosed++;
                }
            }
        }
        log.info("jetty: listening sockets closed, {} idle keep-alive connection(s) closed", idleClosed);
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }
}
