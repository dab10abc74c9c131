package dev.readiness.health.listen;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The backlog a Jetty {@link ServerConnector} asks {@code listen()} for: its {@code acceptQueueSize}, default
 * 0, which the JDK turns into 50. Pass it to
 * {@code ListenQueueProbe.builder(settings).requestedBacklog(JettyAcceptQueue.requestedBacklog(connector))}.
 */
public final class JettyAcceptQueue {

    private JettyAcceptQueue() {
    }

    /** Reads {@code acceptQueueSize} of {@code connector} at each sample. */
    public static IntSupplier requestedBacklog(ServerConnector connector) {
        Objects.requireNonNull(connector, "connector");
        return connector::getAcceptQueueSize;
    }

    /**
     * Reads {@code acceptQueueSize} of the server's first {@link ServerConnector} at each sample; -1 (unknown)
     * while it has none.
     */
    public static IntSupplier requestedBacklog(Server server) {
        Objects.requireNonNull(server, "server");
        return () -> {
            for (Connector c : server.getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    return sc.getAcceptQueueSize();
                }
            }
            return -1;
        };
    }
}
