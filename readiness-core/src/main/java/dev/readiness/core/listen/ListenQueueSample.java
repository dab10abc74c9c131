package dev.readiness.core.listen;

import java.util.List;

/**
 * What one sample of the listen-queue probe found. Immutable. Numbers that could not be read are {@code -1}
 * and {@link #unknown()} says why.
 *
 * @param nanoTime         the probe's ticker when the sample was taken
 * @param somaxconn        {@code net.core.somaxconn} of the pod's network namespace, the cap on every backlog
 * @param requestedBacklog the backlog the server asks {@code listen()} for, after the JDK's rule that a value
 *                         below 1 means 50; -1 when neither the server nor configuration says
 * @param effectiveBacklog {@code min(requestedBacklog, somaxconn)}: what the kernel really uses
 * @param totals           the namespace's TcpExt counters as running totals
 * @param overflowsDelta   {@code ListenOverflows} gained since the previous sample (0 on the first)
 * @param dropsDelta       {@code ListenDrops} gained since the previous sample (0 on the first)
 * @param listeners        the service's own listening sockets with their accept-queue depth
 * @param unknown          what could not be read in this sample, as short reasons; empty when all was read
 */
public record ListenQueueSample(long nanoTime, int somaxconn, int requestedBacklog, int effectiveBacklog,
                                TcpExtCounters totals, long overflowsDelta, long dropsDelta,
                                List<ListenSocket> listeners, List<String> unknown) {

    public ListenQueueSample {
        listeners = List.copyOf(listeners);
        unknown = List.copyOf(unknown);
    }

    /** The deepest accept queue among the service's listeners, or -1 when none was found. */
    public int maxQueueDepth() {
        int max = -1;
        for (ListenSocket s : listeners) {
            max = Math.max(max, s.queueDepth());
        }
        return max;
    }

    /** The queue depth of the listener on {@code port} (the deepest if several addresses), or -1. */
    public int queueDepth(int port) {
        int depth = -1;
        for (ListenSocket s : listeners) {
            if (s.port() == port) {
                depth = Math.max(depth, s.queueDepth());
            }
        }
        return depth;
    }

    /** Whether some listener's queue is full: the kernel drops the next connection to it. */
    public boolean queueFull() {
        return effectiveBacklog >= 0 && maxQueueDepth() > effectiveBacklog;
    }
}
