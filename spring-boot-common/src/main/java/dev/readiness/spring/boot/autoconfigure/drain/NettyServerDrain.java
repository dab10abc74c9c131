package dev.readiness.spring.boot.autoconfigure.drain;

import dev.readiness.core.drain.DrainableServer;
import dev.readiness.spring.boot.autoconfigure.BootGeneration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Stops Spring Boot's Reactor Netty server (WebFlux) from accepting: closes its listening channel, and only that;
 * connections already open are served until they end, each response of the drain with {@code Connection: close}
 * ({@code InFlightWebFilter}). Stopping the server is left to Spring Boot, after the drain. Boot keeps the server's
 * channel in a private field ({@code disposableServer}, the same on Boot 3.5 and 4), read by reflection so that no
 * Reactor Netty type is needed to load this class; where that fails, one WARN says so and the socket stays open
 * until Boot's own shutdown (the in-flight requests are still awaited).
 */
final class NettyServerDrain implements DrainableServer {

    private static final Logger log = LoggerFactory.getLogger(NettyServerDrain.class);
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final ApplicationContext context;

    NettyServerDrain(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public void stopAccepting() {
        Object server = BootGeneration.current().webServer(context);
        if (server == null || !server.getClass().getSimpleName().equals("NettyWebServer")) {
            return;
        }
        try {
            Field f = server.getClass().getDeclaredField("disposableServer");
            f.setAccessible(true);
            Object disposable = f.get(server);
            if (disposable == null) {
                return; // never started
            }
            Object channel = method(disposable.getClass(), "channel").invoke(disposable);
            Object closed = method(channel.getClass(), "close").invoke(channel);
            method(closed.getClass(), "awaitUninterruptibly", long.class).invoke(closed, CLOSE_WAIT_MILLIS);
            log.info("readiness: Reactor Netty's listening socket closed; open connections are served until they end");
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("readiness: cannot close the listening socket of {} ({}): it accepts until Spring Boot stops it"
                    + " after the drain; requests in flight are still awaited", server.getClass().getName(), e.toString());
        }
    }

    /**
     * {@code name} as declared by a public class or interface of {@code type}: Netty's and Reactor Netty's runtime
     * classes are package-private, and a method found on them cannot be invoked from here.
     */
    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        if (java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
            try {
                return type.getMethod(name, parameters);
            } catch (NoSuchMethodException e) {
                // not here: its supertypes may still declare it
            }
        }
        java.util.List<Class<?>> supertypes = new java.util.ArrayList<>(java.util.List.of(type.getInterfaces()));
        if (type.getSuperclass() != null) {
            supertypes.add(type.getSuperclass());
        }
        for (Class<?> s : supertypes) {
            try {
                return method(s, name, parameters);
            } catch (NoSuchMethodException e) {
                // try the next one
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }
}
