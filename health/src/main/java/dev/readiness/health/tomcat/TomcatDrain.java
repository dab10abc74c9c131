package dev.readiness.health.tomcat;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.ListeningSockets;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Objects;

/**
 * Drain adapter for embedded Tomcat 11. In-flight requests are counted by
 * {@link dev.readiness.health.servlet.InFlightFilter}, mapped first in every context.
 * <pre>
 * Tomcat tomcat = ...;                        // connector set up, not started
 * TomcatDrain.install(tomcat, drain);
 * </pre>
 * {@link #stopAccepting()} closes each connector's listening socket with
 * {@link ProtocolHandler#closeServerSocketGraceful()} and does not pause the connector: a paused Tomcat answers
 * 503 to requests that still arrive on keep-alive connections, which is how Spring Boot's graceful shutdown
 * fails requests. It then closes the keep-alive connections that have no request in flight; the others close
 * after their response, which carries {@code Connection: close}. {@link #stop()} stops Tomcat.
 * <p>
 * Closing the listening socket early needs {@code bindOnInit=false}, which {@link #install} sets; it must run
 * before Tomcat starts.
 */
public final class TomcatDrain implements DrainableServer {

    private static final Logger log = LoggerFactory.getLogger(TomcatDrain.class);

    private final List<Connector> connectors;
    private final Tomcat tomcat;

    public TomcatDrain(Tomcat tomcat) {
        this.tomcat = Objects.requireNonNull(tomcat, "tomcat");
        this.connectors = List.of(tomcat.getService().findConnectors());
    }

    /**
     * Sets {@code bindOnInit=false} on every connector and adds the adapter to the drain.
     *
     * @throws IllegalStateException when Tomcat already started: its sockets were bound at init and could not be
     *                               closed before the end of the drain
     */
    public static TomcatDrain install(Tomcat tomcat, GracefulDrain drain) {
        for (Connector c : tomcat.getService().findConnectors()) {
            if (c.getState() != LifecycleState.NEW) {
                throw new IllegalStateException("install the drain before Tomcat starts: connector " + c
                        + " is " + c.getState());
            }
            c.setProperty("bindOnInit", "false");
        }
        TomcatDrain adapter = new TomcatDrain(tomcat);
        drain.server(adapter);
        return adapter;
    }

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    public void stopAccepting() {
        int idleClosed = 0;
        for (Connector c : connectors) {
            ProtocolHandler ph = c.getProtocolHandler();
            int port = c.getLocalPort();
            ph.closeServerSocketGraceful();
            Object address = c.getProperty("address");
            ListeningSockets.awaitRefused(address instanceof java.net.InetAddress a ? a : null, port,
                    ListeningSockets.DEFAULT_WAIT);
            AbstractEndpoint<?, ?> endpoint = endpoint(ph);
            if (endpoint == null) {
                continue;
            }
            for (SocketWrapperBase<?> socket : endpoint.getConnections()) {
                if (isIdle(socket)) {
                    socket.close();
                    idleClosed++;
                }
            }
        }
        log.info("tomcat: listening sockets closed, {} idle keep-alive connection(s) closed", idleClosed);
    }

    /**
     * A keep-alive connection between two requests: the NIO poller waits for it to become readable, and no
     * request holds it (a request being processed has no interest registered; Tomcat takes it off the poller).
     * Other endpoint types are never judged idle: their connections close after their next response.
     */
    private static boolean isIdle(SocketWrapperBase<?> socket) {
        return socket instanceof NioEndpoint.NioSocketWrapper nio && !socket.isClosed()
                && socket.getCurrentProcessor() == null && nio.interestOpsHas(SelectionKey.OP_READ);
    }

    /** The protocol's endpoint; Tomcat keeps the getter protected, and its connection set is the only way in. */
    private static AbstractEndpoint<?, ?> endpoint(ProtocolHandler ph) {
        try {
            return TomcatInternals.endpoint(ph);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("tomcat: cannot reach the endpoint of {} to close idle connections ({}); they close at their"
                    + " keep-alive timeout", ph, e.toString());
            return null;
        }
    }

    @Override
    public void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
