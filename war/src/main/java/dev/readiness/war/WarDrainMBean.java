package dev.readiness.war;

/** A webapp's drain as the Tomcat listener sees it (a standard MBean: JDK types only). */
public interface WarDrainMBean {

    /** Runs the drain (once; a second call waits for the first) and answers its report. */
    String drain();

    /** The drain's phase: SERVING, PROPAGATING, DRAINING, CLOSING or STOPPED. */
    String getPhase();
}
