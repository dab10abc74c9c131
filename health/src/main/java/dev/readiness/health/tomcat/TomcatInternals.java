package dev.readiness.health.tomcat;

import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.Acceptor;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Tomcat keeps protected and the drain and the listener check need: a protocol's endpoint (its connection
 * set, its acceptor) and the endpoint's listening channel. Found by reflection once (per endpoint class for the
 * channel), then only invoked; each accessor answers null where this Tomcat version has no such member.
 */
final class TomcatInternals {

    private static final Method ENDPOINT = method(AbstractProtocol.class, "getEndpoint");
    private static final Field ACCEPTOR = field(AbstractEndpoint.class, "acceptor");
    /** NIO's and NIO2's {@code getServerSocket()}, declared by each endpoint class; empty where there is none. */
    private static final Map<Class<?>, Optional<Method>> SERVER_SOCKET = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Optional<Method>> IS_OPEN = new ConcurrentHashMap<>();

    private TomcatInternals() {
    }

    /** The protocol's endpoint, or null (not an {@link AbstractProtocol}, or the getter is gone). */
    static AbstractEndpoint<?, ?> endpoint(ProtocolHandler ph) throws ReflectiveOperationException {
        if (!(ph instanceof AbstractProtocol<?>) || ENDPOINT == null) {
            return null;
        }
        return (AbstractEndpoint<?, ?>) ENDPOINT.invoke(ph);
    }

    static Acceptor<?> acceptor(AbstractEndpoint<?, ?> endpoint) throws ReflectiveOperationException {
        return ACCEPTOR == null ? null : (Acceptor<?>) ACCEPTOR.get(endpoint);
    }

    /**
     * Whether the endpoint's listening channel is open: its open flag, never an I/O call. Null where there is no
     * channel to read.
     */
    static Boolean serverSocketOpen(AbstractEndpoint<?, ?> endpoint) throws ReflectiveOperationException {
        Optional<Method> getter = SERVER_SOCKET.computeIfAbsent(endpoint.getClass(), TomcatInternals::serverSocketGetter);
        if (getter.isEmpty()) {
            return null;
        }
        Object channel = getter.get().invoke(endpoint);
        if (channel == null) {
            return null;
        }
        Optional<Method> isOpen = IS_OPEN.computeIfAbsent(channel.getClass(), k -> publicMethod(k, "isOpen"));
        return isOpen.isPresent() && isOpen.get().invoke(channel) instanceof Boolean open ? open : null;
    }

    private static Optional<Method> serverSocketGetter(Class<?> endpointClass) {
        for (Class<?> k = endpointClass; k != null && k != Object.class; k = k.getSuperclass()) {
            Method m = method(k, "getServerSocket");
            if (m != null) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static Optional<Method> publicMethod(Class<?> k, String name) {
        try {
            Method m = k.getMethod(name);
            m.setAccessible(true);
            return Optional.of(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Method method(Class<?> k, String name) {
        try {
            Method m = k.getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Field field(Class<?> k, String name) {
        try {
            Field f = k.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
