package dev.readiness.tomcat;

/** What the webapps' drains see of Tomcat's connectors (a standard MBean: JDK types only). */
public interface TomcatConnectorsMBean {

    /**
     * Closes the listening socket of every connector gracefully, without pausing them: requests already on a
     * connection are served, new connections are refused. Closes the keep-alive connections that have no request
     * in flight. Idempotent: a second call (a second webapp's drain) does nothing.
     *
     * @return what was done, for the logs
     */
    String stopAccepting();

    /** Whether the listening sockets are still open. */
    boolean isAccepting();
}
