package dev.readiness.health.jetty;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.GracefulDrain;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Liveness DOWN when the application's own Jetty no longer listens while nobody asked it to stop: the server
 * stopped or failed after it had run, or a network connector's listening socket is closed or the connector failed.
 * Read from Jetty's own state, never over the network, so a check on the management port sees the application
 * port die (Spring Boot issue #41630: the application port stopped accepting while the management port reported
 * UP for hours).
 * <p>
 * Why liveness and not readiness: a listener that is gone does not come back by itself, and a restart brings it
 * back. Readiness DOWN would take the pod out of rotation for good and cure nothing. What may pass is not counted:
 * a connector that stops accepting for a while under load (Jetty's connection limit or low-resources monitor turn
 * {@code accepting} off) keeps its socket open, and this check stays UP; liveness must never restart a pod for
 * being busy. Nor is a drain: once the drain began (the listener is closed on purpose), or before the server ever
 * started (the startup probe covers that), the check is UP.
 * <p>
 * Thread-safe.
 */
public final class JettyListenerCheck implements LocalCheck {

    /** The name the servlet sample registers it under. */
    public static final String NAME = "http-listener";

    private final Server server;
    private final BooleanSupplier stoppingOnPurpose;
    private volatile boolean seenRunning;
    /** Each connector's port while it listened: a closed connector may no longer say. */
    private final Map<NetworkConnector, Integer> ports = new ConcurrentHashMap<>();

    /**
     * @param server            the application's server
     * @param stoppingOnPurpose true once the application is shutting the server down (a drain began)
     */
    public JettyListenerCheck(Server server, BooleanSupplier stoppingOnPurpose) {
        this.server = Objects.requireNonNull(server, "server");
        this.stoppingOnPurpose = Objects.requireNonNull(stoppingOnPurpose, "stoppingOnPurpose");
    }

    /** The check for {@code server}, UP from the moment {@code drain} begins. */
    public static JettyListenerCheck of(Server server, GracefulDrain drain) {
        Objects.requireNonNull(drain, "drain");
        return new JettyListenerCheck(server, () -> drain.phase() != DrainPhase.SERVING);
    }

    @Override
    public CheckResult check() {
        if (stoppingOnPurpose.getAsBoolean()) {
            return CheckResult.up("stopping on purpose");
        }
        if (server.isStarted()) {
            seenRunning = true;
        } else {
            if (!seenRunning && !server.isFailed()) {
                return CheckResult.up("not started yet");
            }
            return CheckResult.down("the server is " + server.getState() + " after it had started,"
                    + " and no drain asked for it");
        }
        StringBuilder closed = new StringBuilder();
        int listening = 0;
        for (Connector c : server.getConnectors()) {
            if (!(c instanceof NetworkConnector nc)) {
                continue;
            }
            if (nc.isOpen() && !nc.isFailed()) {
                if (nc.getLocalPort() > 0) {
                    ports.put(nc, nc.getLocalPort());
                }
                listening++;
                continue;
            }
            if (closed.length() > 0) {
                closed.append("; ");
            }
            closed.append("connector ").append(nc.getName()).append(" on ")
                    .append(nc.getHost() == null ? "*" : nc.getHost()).append(':').append(ports.getOrDefault(nc, nc.getPort()))
                    .append(nc.isFailed() ? " failed" : " no longer listens (its socket is closed)");
        }
        if (closed.length() > 0) {
            return CheckResult.down(closed.toString()).withDetail("listening", listening);
        }
        return CheckResult.up().withDetail("listening", listening);
    }

    @Override
    public String toString() {
        return "JettyListenerCheck";
    }
}
