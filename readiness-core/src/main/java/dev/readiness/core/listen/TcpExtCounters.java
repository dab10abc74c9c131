package dev.readiness.core.listen;

/**
 * The TcpExt counters of {@code /proc/net/netstat} that concern listening sockets, as the kernel's running
 * totals for the network namespace of the process (in Kubernetes: the pod, sidecars included). A counter the
 * file did not contain, or held in a form that could not be read, is {@link #UNKNOWN}.
 *
 * @param listenOverflows  {@code ListenOverflows}: connections dropped because an accept queue was full
 * @param listenDrops      {@code ListenDrops}: every drop at a listener, overflows included
 * @param syncookiesSent   {@code SyncookiesSent}: SYN queue full, a cookie was answered instead
 * @param syncookiesRecv   {@code SyncookiesRecv}: valid cookies that came back
 * @param syncookiesFailed {@code SyncookiesFailed}: cookies that came back invalid
 */
public record TcpExtCounters(long listenOverflows, long listenDrops, long syncookiesSent, long syncookiesRecv,
                             long syncookiesFailed) {

    /** The value of a counter that could not be read. */
    public static final long UNKNOWN = -1;

    /** No counter known. */
    public static final TcpExtCounters NONE = new TcpExtCounters(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    /** Whether the two counters that say "connections were dropped at a listener" were both read. */
    public boolean overflowsKnown() {
        return listenOverflows >= 0 && listenDrops >= 0;
    }
}
