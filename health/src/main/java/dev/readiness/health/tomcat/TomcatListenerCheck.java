package dev.readiness.health.tomcat;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.GracefulDrain;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.Acceptor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness DOWN when the application's own Tomcat no longer accepts connections while nobody asked it to stop: a
 * connector that had started is stopped or failed, its listening socket is closed, or its acceptor thread ended
 * (an {@code Error} such as an {@code OutOfMemoryError} ends it, and Tomcat does not start another: the socket
 * stays open, connections queue in the backlog and nothing answers them). Read from Tomcat's own state, never over
 * the network, so a check on the management port sees the application port die (Spring Boot issue #41630: the
 * application port stopped accepting while the management port reported UP for hours).
 * <p>
 * Why liveness: a listener that is gone does not come back by itself, and a restart brings it back. What may pass
 * is not counted: a paused connector, or one at its {@code maxConnections} (the acceptor waits, its thread lives),
 * is UP; liveness must never restart a pod for being busy. Nor is a drain: once the drain began, or before the
 * connectors ever started (the startup probe covers that), the check is UP.
 * <p>
 * The socket and the acceptor sit behind Tomcat's protected endpoint getter, reached by reflection
 * ({@link TomcatInternals}, shared with {@link TomcatDrain}); where that fails (a Tomcat that changed them), the check still reads the connector's
 * public state and says in its details that the socket and acceptor were not read.
 * <p>
 * Thread-safe.
 */
public final class TomcatListenerCheck implements LocalCheck {

    /** The name the Spring Boot starter registers it under, as the servlet sample does for Jetty. */
    public static final String NAME = "http-listener";

    private static final java.util.Set<LifecycleState> STOPPED = java.util.EnumSet.of(
            LifecycleState.STOPPING_PREP, LifecycleState.STOPPING, LifecycleState.STOPPED);

    private final Supplier<List<Connector>> connectors;
    private final BooleanSupplier stoppingOnPurpose;
    /** Each connector's port while it listened: a closed one may no longer say. */
    private final Map<Connector, Integer> seenStarted = new ConcurrentHashMap<>();

    /**
     * @param connectors        the application's connectors, an empty list while its server does not exist yet
     * @param stoppingOnPurpose true once the application is shutting the server down (a drain began)
     */
    public TomcatListenerCheck(Supplier<List<Connector>> connectors, BooleanSupplier stoppingOnPurpose) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.stoppingOnPurpose = Objects.requireNonNull(stoppingOnPurpose, "stoppingOnPurpose");
    }

    /** The check over {@code tomcat}'s connectors, UP from the moment {@code drain} begins. */
    public static TomcatListenerCheck of(Tomcat tomcat, GracefulDrain drain) {
        Objects.requireNonNull(tomcat, "tomcat");
        Objects.requireNonNull(drain, "drain");
        return new TomcatListenerCheck(() -> List.of(tomcat.getService().findConnectors()),
                () -> drain.phase() != DrainPhase.SERVING);
    }

    @Override
    public CheckResult check() {
        if (stoppingOnPurpose.getAsBoolean()) {
            return CheckResult.up("stopping on purpose");
        }
        List<Connector> list = connectors.get();
        StringBuilder problems = new StringBuilder();
        int listening = 0;
        int waiting = 0;
        boolean internalsRead = true;
        for (Connector c : list) {
            LifecycleState state = c.getState();
            if (!seenStarted.containsKey(c)) {
                // STARTED means bound: Tomcat binds at init, or at start with bindOnInit=false (a bind that fails
                // fails the start). The port may no longer be readable (a closed socket reads -1).
                if (state == LifecycleState.STARTED) {
                    seenStarted.put(c, c.getLocalPort());
                } else if (!STOPPED.contains(state)) {
                    waiting++; // a connector that fails to start fails the start: the startup probe's part
                    continue;
                } // else: only a started connector reaches these states, even one stopped between two checks

            }
            String where = "connector " + c.getProtocolHandlerClassName().replaceFirst(".*\\.", "") + " on "
                    + address(c) + ':' + port(c);
            if (state != LifecycleState.STARTED) {
                append(problems, where + " is " + state + " after it had started");
                continue;
            }
            AbstractEndpoint<?, ?> endpoint = endpoint(c.getProtocolHandler());
            if (endpoint == null) {
                internalsRead = false;
                listening++;
                continue;
            }
            if (!endpoint.isRunning()) {
                append(problems, where + ": its endpoint is no longer running");
                continue;
            }
            Boolean socketOpen = serverSocketOpen(endpoint);
            Acceptor<?> acceptor = acceptor(endpoint);
            if (socketOpen == null || acceptor == null) {
                internalsRead = false;
            }
            if (Boolean.FALSE.equals(socketOpen)) {
                append(problems, where + " no longer listens (its socket is closed)");
            } else if (acceptor != null && acceptor.getState() == Acceptor.AcceptorState.ENDED) {
                append(problems, where + ": its acceptor thread ended; connections queue and nothing accepts them");
            } else {
                listening++;
            }
        }
        if (problems.length() > 0) {
            return CheckResult.down(problems.toString()).withDetail("listening", listening);
        }
        if (listening == 0 && waiting > 0 || list.isEmpty()) {
            return CheckResult.up("not started yet");
        }
        CheckResult up = CheckResult.up().withDetail("listening", listening);
        return internalsRead ? up : up.withDetail("socket and acceptor", "not readable in this Tomcat version");
    }

    private static void append(StringBuilder sb, String problem) {
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(problem);
    }

    private String port(Connector c) {
        int now = c.getLocalPort();
        if (now > 0) {
            seenStarted.put(c, now);
        }
        Integer seen = seenStarted.get(c);
        return seen != null && seen > 0 ? seen.toString() : c.getPort() > 0 ? Integer.toString(c.getPort()) : "(an ephemeral port)";
    }

    /** The connector's address as written ({@code InetAddress}'s "host/1.2.3.4" shows its numeric part), or *. */
    private static String address(Connector c) {
        Object a = c.getProperty("address");
        if (a == null) {
            return "*";
        }
        String text = a.toString();
        return text.substring(text.indexOf('/') + 1);
    }

    private static AbstractEndpoint<?, ?> endpoint(ProtocolHandler ph) {
        try {
            return TomcatInternals.endpoint(ph);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Boolean serverSocketOpen(AbstractEndpoint<?, ?> endpoint) {
        try {
            return TomcatInternals.serverSocketOpen(endpoint);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Acceptor<?> acceptor(AbstractEndpoint<?, ?> endpoint) {
        try {
            return TomcatInternals.acceptor(endpoint);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "TomcatListenerCheck";
    }
}
