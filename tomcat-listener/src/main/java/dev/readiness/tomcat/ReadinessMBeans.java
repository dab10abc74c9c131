package dev.readiness.tomcat;

/**
 * The names through which Tomcat's common class loader (this listener) and each webapp's class loader
 * ({@code readiness-war}) reach each other. Only JDK types cross the operations: platform MBeans, invoked by name,
 * with no argument and a {@code String} result; the one exception is the {@value #CONNECTORS_OPERATION} operation,
 * which answers Tomcat's own connector objects, whose class every webapp loads from the common loader too. A webapp's classes are invisible to the common loader, and a class the
 * webapp loaded from its own {@code WEB-INF/lib} is a different class from one of the same name in
 * {@code $CATALINA_BASE/lib}, so a shared Java interface would not do. The same names are written in
 * {@code dev.readiness.war.WarDrain}; a test of readiness-war holds the two equal.
 */
public final class ReadinessMBeans {

    /** Each webapp's drain registers under this domain and type, with {@code context=} its host and path. */
    public static final String DRAIN_PATTERN = "dev.readiness:type=Drain,*";
    /** The drain's operation: runs the whole drain, blocks until it ends, answers its report. */
    public static final String DRAIN_OPERATION = "drain";
    /** Registered by the listener; the webapps' drains call it when it is time to stop accepting. */
    public static final String CONNECTORS = "dev.readiness:type=TomcatConnectors";
    /**
     * The connectors' operation that answers the connectors themselves (Tomcat's objects), for the webapps'
     * http-listener check, saturation gauge and listen probe.
     */
    public static final String CONNECTORS_OPERATION = "connectors";
    /** The connectors' operation: closes every listening socket gracefully and the idle keep-alive connections. */
    public static final String STOP_ACCEPTING_OPERATION = "stopAccepting";

    private ReadinessMBeans() {
    }
}
