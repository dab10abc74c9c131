package dev.readiness.tomcat;

/**
 * What the webapps see of Tomcat's connectors (a standard MBean). Its operations take no argument; they answer JDK
 * types, except {@link #connectors()}, which answers Tomcat's own objects for webapp code that loads Tomcat's
 * classes from the same common class loader. That one is an operation, not an attribute, so that monitoring tools
 * that read every attribute (a JMX exporter, Jolokia) never walk Tomcat's object graph.
 */
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

    /**
     * The Server's connectors ({@code org.apache.catalina.connector.Connector}, every Service's, in order), for
     * a webapp's own checks to read in place: its {@code http-listener} liveness, its saturation gauge and the listen
     * probe's requested backlog. Tomcat's classes come from its common class loader, which every webapp delegates
     * {@code org.apache.catalina} to, so the webapp sees the same class.
     */
    Object[] connectors();
}
