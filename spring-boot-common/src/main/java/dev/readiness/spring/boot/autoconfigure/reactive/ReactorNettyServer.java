package dev.readiness.spring.boot.autoconfigure.reactive;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening channel of Spring Boot's Reactor Netty web server ({@code NettyWebServer}, WebFlux), which Boot keeps
 * in a private field ({@code disposableServer}, the same on Boot 3.5 and 4). Read by reflection, so that no Reactor
 * Netty or Netty type is needed to load this class; every method throws {@link ReflectiveOperationException} when
 * the shape is not the expected one, for the caller to say so.
 */
public final class ReactorNettyServer {

    private final Object channel;
    /** Resolved once: the check reads it every second. */
    private final Method isOpen;

    private ReactorNettyServer(Object channel) throws NoSuchMethodException {
        this.channel = channel;
        this.isOpen = method(channel.getClass(), "isOpen");
    }

    /** Whether {@code webServer} is Boot's Reactor Netty server. */
    public static boolean is(Object webServer) {
        return webServer != null && webServer.getClass().getSimpleName().equals("NettyWebServer");
    }

    /**
     * The server's listening channel, or null before the server started (or bound).
     *
     * @throws ReflectiveOperationException when Boot's server does not have the expected shape
     */
    public static ReactorNettyServer of(Object webServer) throws ReflectiveOperationException {
        Field f = webServer.getClass().getDeclaredField("disposableServer");
        f.setAccessible(true);
        Object disposable = f.get(webServer);
        Object channel = disposable == null ? null : method(disposable.getClass(), "channel").invoke(disposable);
        return channel == null ? null : new ReactorNettyServer(channel);
    }

    /** Whether the listening channel is open: false once it was closed, on purpose or not. */
    public boolean isOpen() throws ReflectiveOperationException {
        return (Boolean) isOpen.invoke(channel);
    }

    /** Closes the listening channel only (connections already open stay), waiting up to {@code millis}. */
    public void close(long millis) throws ReflectiveOperationException {
        Object closed = method(channel.getClass(), "close").invoke(channel);
        method(closed.getClass(), "awaitUninterruptibly", long.class).invoke(closed, millis);
    }

    /** The address the channel listens on, for messages. */
    @Override
    public String toString() {
        try {
            return String.valueOf(method(channel.getClass(), "localAddress").invoke(channel));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return String.valueOf(channel);
        }
    }

    /**
     * {@code name} as declared by a public class or interface of {@code type}: Netty's runtime classes may be
     * package-private, and a method found on them could not be invoked from here.
     */
    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        if (Modifier.isPublic(type.getModifiers())) {
            try {
                return type.getMethod(name, parameters);
            } catch (NoSuchMethodException e) {
                // not here: its supertypes may still declare it
            }
        }
        List<Class<?>> supertypes = new ArrayList<>(List.of(type.getInterfaces()));
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
