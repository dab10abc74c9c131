package dev.readiness.tomcat;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Server;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs the readiness drain of every deployed webapp on Tomcat's shutdown, before Tomcat pauses its connectors.
 * In {@code $CATALINA_BASE/conf/server.xml}, directly inside {@code <Server>}:
 * <pre>
 * &lt;Listener className="dev.readiness.tomcat.ReadinessLifecycleListener"/&gt;
 * </pre>
 * with {@code readiness-tomcat-listener.jar} in {@code $CATALINA_BASE/lib}. On SIGTERM Tomcat's shutdown hook
 * stops the Server; its {@code before_stop} event comes before anything stops, and this listener holds it while
 * each webapp's {@code GracefulDrain} runs (all webapps at once): readiness DOWN, requests served for the
 * propagation delay, then the connectors' listening sockets closed gracefully (through {@link TomcatConnectors},
 * which the drains call back), in-flight requests awaited up to the drain timeout, the webapp's resources
 * closed. Then Tomcat goes on with its own stop: it pauses the connectors (nothing is left on them), stops the
 * webapps and exits.
 * <p>
 * <b>Class loaders.</b> This class lives in Tomcat's common loader, each webapp's drain in that webapp's loader.
 * They meet through platform MBeans, invoked by name with JDK types only ({@link ReadinessMBeans}): each webapp
 * registers {@code dev.readiness:type=Drain,context=...} with a {@code drain} operation, and this listener
 * registers {@code dev.readiness:type=TomcatConnectors}. Sharing a Java interface instead would need the
 * readiness jars in the common loader, where every webapp would see them and its own copies would clash.
 * <p>
 * On {@code before_init} it sets {@code bindOnInit=false} on every connector: a socket bound at init can only be
 * closed when the connector stops, after the drain.
 *
 * @throws IllegalStateException (from the event) when declared anywhere but directly inside {@code <Server>}, or
 *                               twice in one JVM
 */
public final class ReadinessLifecycleListener implements LifecycleListener {

    private static final Log log = LogFactory.getLog(ReadinessLifecycleListener.class);

    private ObjectName registered;

    @Override
    public void lifecycleEvent(LifecycleEvent event) {
        switch (event.getType()) {
            case Lifecycle.BEFORE_INIT_EVENT -> beforeInit(server(event));
            case Lifecycle.BEFORE_STOP_EVENT -> drainAll();
            case Lifecycle.AFTER_DESTROY_EVENT -> unregister();
            default -> {
                // no other event matters
            }
        }
    }

    private static Server server(LifecycleEvent event) {
        if (event.getLifecycle() instanceof Server s) {
            return s;
        }
        throw new IllegalStateException(ReadinessLifecycleListener.class.getName() + " must be declared directly"
                + " inside <Server> in server.xml, where it sees Tomcat's whole stop; it was declared on "
                + event.getLifecycle());
    }

    private void beforeInit(Server server) {
        List<Connector> connectors = new ArrayList<>();
        for (Service service : server.findServices()) {
            for (Connector c : service.findConnectors()) {
                if (c.getState() != LifecycleState.NEW) {
                    throw new IllegalStateException("readiness: connector " + c + " is already " + c.getState()
                            + "; the listener must see the Server initialise");
                }
                c.setProperty("bindOnInit", "false");
                connectors.add(c);
            }
        }
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(ReadinessMBeans.CONNECTORS);
            if (mbs.isRegistered(name)) {
                throw new IllegalStateException("readiness: " + name + " is already registered: declare "
                        + getClass().getSimpleName() + " once, in one Server per JVM");
            }
            mbs.registerMBean(new TomcatConnectors(connectors), name);
            registered = name;
        } catch (JMException e) {
            throw new IllegalStateException("readiness: cannot register " + ReadinessMBeans.CONNECTORS + ": " + e, e);
        }
        log.info("readiness: " + connectors.size() + " connector(s) bind on start (bindOnInit=false); the webapps'"
                + " drains run on Tomcat's stop, before it pauses its connectors");
    }

    /** Runs every registered drain at once and waits for all of them. */
    private void drainAll() {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> drains;
        try {
            drains = mbs.queryNames(new ObjectName(ReadinessMBeans.DRAIN_PATTERN), null);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
        if (drains.isEmpty()) {
            log.info("readiness: Tomcat is stopping and no webapp registered a drain (none uses readiness-war)");
            return;
        }
        long t0 = System.nanoTime();
        log.info("readiness: Tomcat is stopping: draining " + drains.size() + " webapp(s) before the connectors"
                + " pause: " + drains);
        ConcurrentMap<ObjectName, String> reports = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (ObjectName name : drains) {
            Thread t = new Thread(() -> reports.put(name, invoke(mbs, name)),
                    "readiness-drain-" + name.getKeyProperty("context"));
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("readiness: interrupted while the webapps drain; Tomcat stops now");
                return;
            }
        }
        log.info("readiness: " + drains.size() + " webapp(s) drained in " + (System.nanoTime() - t0) / 1_000_000
                + " ms; Tomcat continues its stop. " + reports);
    }

    private static String invoke(MBeanServer mbs, ObjectName name) {
        try {
            return String.valueOf(mbs.invoke(name, ReadinessMBeans.DRAIN_OPERATION, new Object[0], new String[0]));
        } catch (JMException | RuntimeException e) {
            log.warn("readiness: the drain of " + name + " failed: " + e, e);
            return "failed: " + e;
        }
    }

    private void unregister() {
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException e) {
            log.debug("readiness: " + registered + " was already unregistered", e);
        }
        registered = null;
    }
}
