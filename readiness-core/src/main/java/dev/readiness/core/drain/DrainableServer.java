package dev.readiness.core.drain;

/**
 * A server the drain stops accepting on. Adapters exist for the JDK's HTTP server, Jetty 12 and Tomcat; the
 * in-flight count comes from an {@link InFlightTracker} that the adapter feeds.
 */
public interface DrainableServer {

    /** Name for the logs. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Stops accepting new connections and closes idle keep-alive connections. Requests in flight go on; their
     * responses carry {@code Connection: close}. Must not wait for them.
     */
    void stopAccepting() throws Exception;

    /** After in-flight requests finished or the drain timeout passed: closes whatever is left. */
    default void stop() throws Exception {
    }
}
