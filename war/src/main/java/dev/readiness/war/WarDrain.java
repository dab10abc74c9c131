package dev.readiness.war;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.core.drain.GracefulDrain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Objects;

/**
 * The bridge between a webapp's {@link GracefulDrain} and {@code dev.readiness.tomcat.ReadinessLifecycleListener},
 * which lives in Tomcat's common class loader: platform MBeans invoked by name, JDK types only. This webapp
 * registers {@code dev.readiness:type=Drain,context="<host><path>"} with a {@code drain} operation that the
 * listener calls on Tomcat's stop; the drain, when it is time to stop accepting, calls the listener's
 * {@code dev.readiness:type=TomcatConnectors} {@code stopAccepting}. The names are also written in
 * {@code dev.readiness.tomcat.ReadinessMBeans}; {@code WarDrainTest} holds them equal.
 * <p>
 * Only a drain that the listener started (Tomcat is stopping) closes the connectors: when this webapp alone is
 * stopped or redeployed, the connectors go on serving the others.
 */
final class WarDrain implements WarDrainMBean, DrainableServer {

    static final String DOMAIN = "dev.readiness";
    static final String DRAIN_TYPE = "Drain";
    static final String DRAIN_OPERATION = "drain";
    static final String CONNECTORS = "dev.readiness:type=TomcatConnectors";
    static final String STOP_ACCEPTING_OPERATION = "stopAccepting";
    static final String CONNECTORS_OPERATION = "connectors";

    private static final Logger log = LoggerFactory.getLogger(WarDrain.class);

    private final GracefulDrain drain;
    private final ObjectName name;
    private final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    private volatile boolean serverStopping;

    private WarDrain(GracefulDrain drain, ObjectName name) {
        this.drain = drain;
        this.name = name;
    }

    /** The name of the drain of the context at {@code path} on {@code host}. */
    static ObjectName nameFor(String host, String path) {
        String where = (host == null || host.isBlank() ? "" : host) + (path == null || path.isEmpty() ? "/" : path);
        try {
            return new ObjectName(DOMAIN + ":type=" + DRAIN_TYPE + ",context=" + ObjectName.quote(where));
        } catch (JMException e) {
            throw new IllegalArgumentException("no MBean name for context " + where + ": " + e.getMessage(), e);
        }
    }

    /** Whether a {@code ReadinessLifecycleListener} registered Tomcat's connectors in this JVM. */
    static boolean listenerPresent() {
        try {
            return ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(CONNECTORS));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds the connectors to {@code drain} and registers the drain's MBean under {@code name}.
     *
     * @throws IllegalStateException when another webapp already registered that name
     */
    static WarDrain register(GracefulDrain drain, ObjectName name) {
        WarDrain bridge = new WarDrain(Objects.requireNonNull(drain, "drain"), name);
        try {
            bridge.mbs.registerMBean(bridge, name);
        } catch (javax.management.InstanceAlreadyExistsException e) {
            throw new IllegalStateException(name + " is already registered: another webapp at the same host and"
                    + " path uses readiness-war in this JVM", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e, e);
        }
        drain.server(bridge);
        return bridge;
    }

    ObjectName objectName() {
        return name;
    }

    @Override
    public String drain() {
        serverStopping = true;
        return drain.drain().toString();
    }

    @Override
    public String getPhase() {
        return drain.phase().name();
    }

    @Override
    public String name() {
        return "tomcat-connectors";
    }

    @Override
    public void stopAccepting() throws Exception {
        if (!serverStopping) {
            log.info("readiness: Tomcat's connectors are left to Tomcat: this webapp stops alone (they serve the"
                    + " others), or Tomcat stops without ReadinessLifecycleListener (it paused them already)");
            return;
        }
        Object done = mbs.invoke(new ObjectName(CONNECTORS), STOP_ACCEPTING_OPERATION, new Object[0], new String[0]);
        log.info("readiness: Tomcat's connectors: {}", done);
    }

    /** Unregisters the MBean, so that the webapp's class loader is not held after it stopped. */
    void unregister() {
        try {
            if (mbs.isRegistered(name)) {
                mbs.unregisterMBean(name);
            }
        } catch (JMException e) {
            log.warn("readiness: cannot unregister {}: {}", name, e.toString());
        }
    }
}
