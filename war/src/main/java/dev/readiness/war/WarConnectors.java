package dev.readiness.war;

import dev.readiness.core.check.LocalCheck;
import dev.readiness.health.saturation.Saturation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Tomcat's connectors as this webapp reads them: the objects {@code ReadinessLifecycleListener} answers on its
 * MBean ({@value WarDrain#CONNECTORS}, operation {@value WarDrain#CONNECTORS_OPERATION}), registered at the Server's
 * {@code before_init}, before any webapp starts. From them: the {@code http-listener} liveness check, the saturation
 * of the first connector's worker pool, and its {@code acceptCount} for the listen probe. Empty on another
 * container or without the listener. Tomcat's classes are touched only in {@link Tomcat}, once the MBean answered
 * objects of the {@code Connector} class this webapp sees.
 */
final class WarConnectors {

    private static final Logger log = LoggerFactory.getLogger(WarConnectors.class);
    private static final String CONNECTOR_CLASS = "org.apache.catalina.connector.Connector";

    private final List<Object> connectors;

    private WarConnectors(List<Object> connectors) {
        this.connectors = connectors;
    }

    /**
     * The listener's connectors, or empty: without the listener, on a container that is not Tomcat, or when the
     * objects are not of the {@code Connector} class this webapp loads (a WAR that packs its own Tomcat classes),
     * which one log line says.
     */
    static Optional<WarConnectors> find() {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        Object value;
        try {
            ObjectName name = new ObjectName(WarDrain.CONNECTORS);
            if (!mbs.isRegistered(name)) {
                return Optional.empty();
            }
            value = mbs.invoke(name, WarDrain.CONNECTORS_OPERATION, new Object[0], new String[0]);
        } catch (JMException | RuntimeException e) {
            log.warn("readiness: cannot read Tomcat's connectors from {} ({}): no http-listener check, and no"
                    + " saturation from Tomcat's pool", WarDrain.CONNECTORS, e.toString());
            return Optional.empty();
        }
        Class<?> connector = connectorClass();
        if (!(value instanceof Object[] all) || connector == null
                || !Arrays.stream(all).allMatch(connector::isInstance)) {
            log.warn("readiness: the connectors {} publishes are not the {} this webapp loads ({}): does WEB-INF/lib"
                    + " hold Tomcat's jars? No http-listener check, and no saturation from Tomcat's pool",
                    WarDrain.CONNECTORS, CONNECTOR_CLASS, value == null ? "null" : value.getClass().getName());
            return Optional.empty();
        }
        return Optional.of(new WarConnectors(List.of(all)));
    }

    private static Class<?> connectorClass() {
        try {
            return Class.forName(CONNECTOR_CLASS, false, WarConnectors.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** How many connectors the Server has. */
    int size() {
        return connectors.size();
    }

    /**
     * {@code http-listener}: DOWN when a connector that had started stopped or failed, its listening socket closed,
     * or its acceptor thread ended; UP while {@code stoppingOnPurpose} (the drain began).
     */
    LocalCheck listenerCheck(BooleanSupplier stoppingOnPurpose) {
        return Tomcat.listenerCheck(connectors, stoppingOnPurpose);
    }

    /**
     * The first connector's worker pool (busy plus queued over {@code maxThreads}); NaN until the connector started
     * its pool, and for one on virtual threads. Empty when the Server has no connector.
     */
    Optional<Saturation> saturation() {
        return connectors.isEmpty() ? Optional.empty() : Optional.of(Tomcat.saturation(connectors.get(0)));
    }

    /** The first connector's {@code acceptCount}, read at each sample; -1 when the Server has none. */
    IntSupplier requestedBacklog() {
        return connectors.isEmpty() ? () -> -1 : Tomcat.backlog(connectors.get(0));
    }

    @Override
    public String toString() {
        return "WarConnectors" + connectors;
    }

    /** Loaded only once the connectors are known to be Tomcat's. */
    private static final class Tomcat {
        static LocalCheck listenerCheck(List<Object> connectors, BooleanSupplier stopping) {
            List<org.apache.catalina.connector.Connector> typed = connectors.stream()
                    .map(org.apache.catalina.connector.Connector.class::cast).toList();
            return new dev.readiness.health.tomcat.TomcatListenerCheck(() -> typed, stopping);
        }

        static Saturation saturation(Object connector) {
            return dev.readiness.health.saturation.TomcatSaturation.of(
                    (org.apache.catalina.connector.Connector) connector);
        }

        static IntSupplier backlog(Object connector) {
            return dev.readiness.health.listen.TomcatAcceptCount.requestedBacklog(
                    (org.apache.catalina.connector.Connector) connector);
        }
    }
}
