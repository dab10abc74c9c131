package dev.readiness.spring.boot.autoconfigure.liveness;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.LocalCheck;
import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.health.jetty.JettyListenerCheck;
import dev.readiness.health.tomcat.TomcatListenerCheck;
import org.springframework.beans.factory.ObjectProvider;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import dev.readiness.spring.boot.autoconfigure.reactive.ReactorNettyServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.util.ClassUtils;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The application's own HTTP listener checked for liveness from Spring Boot's web server, found when the check runs
 * (the server is created late in the context's refresh, and its connectors start last): Tomcat's connectors through
 * {@link TomcatListenerCheck}, Jetty's server through {@link JettyListenerCheck}; UP "not started yet" until the
 * server exists, and UP from the moment the application stops on purpose: a drain began, or the context is
 * closing (Spring Boot's own graceful shutdown, without the drain). Reactor Netty (WebFlux) through its listening
 * channel ({@link ReactorNettyServer}). Another server (Undertow) is reported UP with what it is, once: this check
 * cannot read it.
 * <p>
 * Tomcat's and Jetty's classes are touched only once the server is known to be one of them, so either may be
 * missing from the class path.
 */
final class HttpListenerChecks implements ApplicationListener<ContextClosedEvent>, LocalCheck {

    private static final ClassLoader LOADER = HttpListenerChecks.class.getClassLoader();
    private static final boolean TOMCAT = ClassUtils.isPresent("org.apache.catalina.connector.Connector", LOADER);
    private static final boolean JETTY = ClassUtils.isPresent("org.eclipse.jetty.server.Server", LOADER);

    private final ApplicationContext context;
    private final ObjectProvider<GracefulDrain> drain;
    private volatile boolean closing;
    private volatile LocalCheck delegate;

    HttpListenerChecks(ApplicationContext context, ObjectProvider<GracefulDrain> drain) {
        this.context = context;
        this.drain = drain;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            closing = true;
        }
    }

    boolean stoppingOnPurpose() {
        if (closing) {
            return true;
        }
        GracefulDrain d = drain.getIfAvailable();
        return d != null && d.phase() != DrainPhase.SERVING;
    }

    @Override
    public CheckResult check() {
        LocalCheck d = delegate;
        if (d == null) {
            BootGeneration boot = BootGeneration.current();
            Object server = boot.webServer(context);
            if (server == null) {
                return stoppingOnPurpose() ? CheckResult.up("stopping on purpose") : CheckResult.up("not started yet");
            }
            Object tomcat = TOMCAT ? boot.tomcat(server) : null;
            Object jetty = tomcat == null && JETTY ? boot.jetty(server) : null;
            d = tomcat != null ? Tomcat.check(tomcat, this::stoppingOnPurpose)
                    : jetty != null ? Jetty.check(jetty, this::stoppingOnPurpose)
                    : ReactorNettyServer.is(server) ? netty(server, this::stoppingOnPurpose)
                    : unreadable(server);
            delegate = d;
        }
        return d.check();
    }

    /**
     * Reactor Netty (WebFlux): DOWN once its listening channel is closed while nothing stops on purpose (the port
     * refuses every connection, and only a restart opens it again); UP reading it otherwise. A server whose channel
     * cannot be read is reported UP saying so.
     */
    private static LocalCheck netty(Object server, BooleanSupplier stopping) {
        // the channel, read once it is bound
        java.util.concurrent.atomic.AtomicReference<ReactorNettyServer> found = new java.util.concurrent.atomic.AtomicReference<>();
        return () -> {
            if (stopping.getAsBoolean()) {
                return CheckResult.up("stopping on purpose");
            }
            try {
                ReactorNettyServer netty = found.get();
                if (netty == null) {
                    netty = ReactorNettyServer.of(server);
                    found.set(netty);
                }
                if (netty == null) {
                    return CheckResult.up("not started yet");
                }
                return netty.isOpen() ? CheckResult.up().withDetail("listening", 1)
                        : CheckResult.down("the listening socket of Reactor Netty (" + netty + ") is closed: the port"
                        + " refuses every connection").withDetail("listening", 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return CheckResult.up("the listener of Reactor Netty is not read (" + e + ")");
            }
        };
    }

    private static LocalCheck unreadable(Object server) {
        CheckResult result = CheckResult.up("the listener of " + server.getClass().getSimpleName()
                + " is not read (Tomcat's and Jetty's are)");
        return () -> result;
    }

    @Override
    public String toString() {
        return "HttpListenerCheck";
    }

    /** Loaded only when Tomcat is on the class path. */
    private static final class Tomcat {
        static LocalCheck check(Object server, BooleanSupplier stopping) {
            org.apache.catalina.startup.Tomcat tomcat = (org.apache.catalina.startup.Tomcat) server;
            return new TomcatListenerCheck(() -> List.of(tomcat.getService().findConnectors()), stopping);
        }
    }

    /** Loaded only when Jetty is on the class path. */
    private static final class Jetty {
        static LocalCheck check(Object server, BooleanSupplier stopping) {
            return new JettyListenerCheck((org.eclipse.jetty.server.Server) server, stopping);
        }
    }
}
