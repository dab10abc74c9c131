package dev.readiness.health.listen;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The backlog a Tomcat {@link Connector} asks {@code listen()} for: its {@code acceptCount} (Spring Boot's
 * {@code server.tomcat.accept-count}), default 100. Pass it to
 * {@code ListenQueueProbe.builder(settings).requestedBacklog(TomcatAcceptCount.requestedBacklog(connector))}.
 */
public final class TomcatAcceptCount {

    private TomcatAcceptCount() {
    }

    /**
     * Reads {@code acceptCount} of {@code connector} at each sample; -1 (unknown) for a protocol handler that is
     * not an {@link AbstractProtocol}.
     */
    public static IntSupplier requestedBacklog(Connector connector) {
        Objects.requireNonNull(connector, "connector");
        return () -> connector.getProtocolHandler() instanceof AbstractProtocol<?> p ? p.getAcceptCount() : -1;
    }
}
