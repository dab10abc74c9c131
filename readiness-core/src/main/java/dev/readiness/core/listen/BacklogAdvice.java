package dev.readiness.core.listen;

import java.util.ArrayList;
import java.util.List;

/**
 * What to tell the operator at start about the backlog: the kernel caps every {@code listen()} backlog at
 * {@code net.core.somaxconn} without an error, and the JDK turns a backlog below 1 into 50.
 */
public final class BacklogAdvice {

    static final String SYSCTL_FIX = "set net.core.somaxconn in the pod's securityContext.sysctls; it is an"
            + " unsafe sysctl, so the node's kubelet must allow it (--allowed-unsafe-sysctls=net.core.somaxconn)"
            + " and the namespace must not enforce Pod Security 'baseline' or 'restricted'";

    private BacklogAdvice() {
    }

    /** The backlog the JDK passes to {@code listen()} for a requested value: below 1 means 50. */
    public static int normalize(int requested) {
        return requested < 1 ? ListenQueueSettings.JDK_DEFAULT_BACKLOG : requested;
    }

    /** {@code min(normalize(requested), somaxconn)}, or -1 when either is unknown (negative). */
    public static int effective(int requested, int somaxconn) {
        if (requested < 0 || somaxconn < 0) {
            return -1;
        }
        return Math.min(normalize(requested), somaxconn);
    }

    /**
     * Warnings for an operator, each naming the values and the fix; empty when the backlog is fine.
     *
     * @param requested  the requested backlog as the server passes it (0 = JDK default), or -1 when unknown
     * @param somaxconn  {@code net.core.somaxconn}, or -1 when unknown
     * @param minBacklog the smallest effective backlog that draws no warning; 0 for a service that expects no load
     */
    public static List<String> advise(int requested, int somaxconn, int minBacklog) {
        List<String> out = new ArrayList<>();
        if (requested < 0) {
            if (minBacklog > 0) {
                out.add("listen backlog unknown: no server adapter reported it and readiness.listen.requested-backlog"
                        + " is not set; a server that binds without one gets the JDK default of "
                        + ListenQueueSettings.JDK_DEFAULT_BACKLOG + (somaxconn >= 0 ? " (net.core.somaxconn is "
                        + somaxconn + ")" : "") + ". Set readiness.listen.requested-backlog to what the server uses");
            }
            return out;
        }
        int asked = normalize(requested);
        if (somaxconn >= 0 && asked > somaxconn) {
            out.add("listen backlog capped: the server requests " + asked + " but net.core.somaxconn is " + somaxconn
                    + ", so the kernel silently uses " + somaxconn + ". Fix: " + SYSCTL_FIX + ", value >= " + asked
                    + "; or lower the request to " + somaxconn);
        }
        int effective = somaxconn >= 0 ? Math.min(asked, somaxconn) : asked;
        if (minBacklog > 0 && effective < minBacklog) {
            if (asked == ListenQueueSettings.JDK_DEFAULT_BACKLOG && asked <= effective) {
                out.add("listen backlog is the JDK default of " + ListenQueueSettings.JDK_DEFAULT_BACKLOG
                        + " (requested " + requested + "), below readiness.listen.min-backlog=" + minBacklog
                        + ": under load the accept queue overflows and connections are dropped without an error."
                        + " Fix: raise the server's backlog (Tomcat acceptCount / server.tomcat.accept-count, Jetty"
                        + " acceptQueueSize, ServerSocket backlog argument) to at least " + minBacklog
                        + ", or set readiness.listen.min-backlog=0 for a service that expects no load");
            } else if (effective < asked) {
                out.add("effective listen backlog " + effective + " is below readiness.listen.min-backlog="
                        + minBacklog + " because net.core.somaxconn is " + somaxconn + ". Fix: " + SYSCTL_FIX);
            } else {
                out.add("listen backlog " + effective + " is below readiness.listen.min-backlog=" + minBacklog
                        + ": raise the server's backlog (Tomcat acceptCount, Jetty acceptQueueSize) to at least "
                        + minBacklog + ", or lower readiness.listen.min-backlog");
            }
        }
        return out;
    }
}
