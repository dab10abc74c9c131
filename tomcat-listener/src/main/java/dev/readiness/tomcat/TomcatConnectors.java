package dev.readiness.tomcat;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops Tomcat's connectors from accepting without pausing them. A paused Tomcat answers 503 to requests that
 * still arrive on kept-alive connections; closing only the listening socket
 * ({@link ProtocolHandler#closeServerSocketGraceful()}) lets those be served, and their responses carry
 * {@code Connection: close} (the webapp's in-flight filter sets it). It needs {@code bindOnInit=false}, which
 * {@link ReadinessLifecycleListener} sets before the connectors initialise. This is the standalone twin of
 * {@code dev.readiness.health.tomcat.TomcatDrain}, which serves embedded Tomcat: this jar is loaded by Tomcat's
 * common class loader and may depend on nothing but Tomcat and the JDK.
 */
final class TomcatConnectors implements TomcatConnectorsMBean {

    private static final Log log = LogFactory.getLog(TomcatConnectors.class);
    /** How long to wait for the kernel to refuse connections on a closed port. */
    private static final long REFUSED_WAIT_MILLIS = 2_000;

    private final List<Connector> connectors;
    private final AtomicBoolean stopped = new AtomicBoolean();

    TomcatConnectors(List<Connector> connectors) {
        this.connectors = List.copyOf(connectors);
    }

    @Override
    public Object[] connectors() {
        return connectors.toArray();
    }

    @Override
    public boolean isAccepting() {
        return !stopped.get();
    }

    @Override
    public String stopAccepting() {
        if (!stopped.compareAndSet(false, true)) {
            return "already stopped accepting";
        }
        StringBuilder done = new StringBuilder();
        for (Connector c : connectors) {
            ProtocolHandler ph = c.getProtocolHandler();
            int port = c.getLocalPort();
            if (Boolean.parseBoolean(String.valueOf(c.getProperty("bindOnInit")))) {
                log.warn("readiness: connector " + c + " bound its socket at init (bindOnInit=true), so it cannot be"
                        + " closed before Tomcat's stop: it accepts until Tomcat pauses it. Remove bindOnInit from"
                        + " server.xml");
            }
            ph.closeServerSocketGraceful();
            Object address = c.getProperty("address");
            boolean refused = awaitRefused(address instanceof InetAddress a ? a : null, port);
            int idle = closeIdle(ph);
            if (done.length() > 0) {
                done.append("; ");
            }
            done.append("port ").append(port).append(refused ? " closed" : " still connectable")
                    .append(", ").append(idle).append(" idle keep-alive connection(s) closed");
        }
        log.info("readiness: stopped accepting: " + done);
        return done.toString();
    }

    /** Closes the keep-alive connections between two requests; the others close after their response. */
    private static int closeIdle(ProtocolHandler ph) {
        AbstractEndpoint<?, ?> endpoint = endpoint(ph);
        if (endpoint == null) {
            return 0;
        }
        int closed = 0;
        for (SocketWrapperBase<?> socket : endpoint.getConnections()) {
            if (socket instanceof NioEndpoint.NioSocketWrapper nio && !socket.isClosed()
                    && socket.getCurrentProcessor() == null && nio.interestOpsHas(SelectionKey.OP_READ)) {
                socket.close();
                closed++;
            }
        }
        return closed;
    }

    /** The protocol's endpoint; Tomcat keeps the getter protected, and its connection set is the only way in. */
    private static AbstractEndpoint<?, ?> endpoint(ProtocolHandler ph) {
        if (!(ph instanceof AbstractProtocol<?>)) {
            return null;
        }
        try {
            Method m = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
            m.setAccessible(true);
            return (AbstractEndpoint<?, ?>) m.invoke(ph);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("readiness: cannot reach the endpoint of " + ph + " to close idle connections (" + e
                    + "); they close at their keep-alive timeout");
            return null;
        }
    }

    /**
     * Waits until a connection to the port is refused: closing a listening socket is asynchronous in NIO, and
     * the drain must not go on while a load balancer's new connection could still be accepted.
     */
    static boolean awaitRefused(InetAddress address, int port) {
        if (port <= 0) {
            return true;
        }
        InetAddress target = address == null || address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                : address;
        long deadline = System.nanoTime() + REFUSED_WAIT_MILLIS * 1_000_000;
        while (System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(target, port), 200);
            } catch (ConnectException e) {
                return true;
            } catch (IOException e) {
                // a timeout: the backlog is full or the address filtered; try again
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
