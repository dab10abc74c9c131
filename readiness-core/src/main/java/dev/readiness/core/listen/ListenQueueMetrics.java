package dev.readiness.core.listen;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of the listen-queue probe. They read the probe's last sample, never {@code /proc} itself,
 * so a scrape costs nothing. A signal the platform lacks at bind time (no {@code /proc}) is not registered; a
 * later failed read shows as NaN.
 * <ul>
 *   <li>{@code readiness.listen.overflows}, {@code readiness.listen.drops}: TcpExt ListenOverflows and
 *       ListenDrops of the pod network namespace since the binder was bound (counters)</li>
 *   <li>{@code readiness.listen.syncookies{kind=sent|recv|failed}}: SYN cookies since bound (counters)</li>
 *   <li>{@code readiness.listen.queue.depth{address,port}}: connections waiting to be accepted (gauge, one per
 *       listener, added as listeners appear)</li>
 *   <li>{@code readiness.listen.backlog.effective}: min(requested, somaxconn) (gauge)</li>
 *   <li>{@code readiness.listen.somaxconn}: net.core.somaxconn (gauge)</li>
 * </ul>
 */
public final class ListenQueueMetrics implements MeterBinder {

    private final ListenQueueProbe probe;
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();

    public ListenQueueMetrics(ListenQueueProbe probe) {
        this.probe = probe;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ListenQueueSample first = probe.sample();
        TcpExtCounters base = first.totals();
        counter(registry, "readiness.listen.overflows", "connections dropped because an accept queue was full",
                Tags.empty(), base.listenOverflows(), TcpExtCounters::listenOverflows);
        counter(registry, "readiness.listen.drops", "connections dropped at a listener, overflows included",
                Tags.empty(), base.listenDrops(), TcpExtCounters::listenDrops);
        counter(registry, "readiness.listen.syncookies", "SYN cookies sent because the SYN queue was full",
                Tags.of("kind", "sent"), base.syncookiesSent(), TcpExtCounters::syncookiesSent);
        counter(registry, "readiness.listen.syncookies", "valid SYN cookies received",
                Tags.of("kind", "recv"), base.syncookiesRecv(), TcpExtCounters::syncookiesRecv);
        counter(registry, "readiness.listen.syncookies", "invalid SYN cookies received",
                Tags.of("kind", "failed"), base.syncookiesFailed(), TcpExtCounters::syncookiesFailed);
        if (first.somaxconn() >= 0) {
            Gauge.builder("readiness.listen.somaxconn", probe, p -> orNaN(p.latest().somaxconn()))
                    .description("net.core.somaxconn, the cap on every listen backlog").register(registry);
        }
        if (first.effectiveBacklog() >= 0) {
            Gauge.builder("readiness.listen.backlog.effective", probe, p -> orNaN(p.latest().effectiveBacklog()))
                    .description("min(requested backlog, net.core.somaxconn)").register(registry);
        }
        first.listeners().forEach(l -> depthGauge(registry, l));
        probe.addSampleListener(s -> s.listeners().forEach(l -> depthGauge(registry, l)));
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags, long baseline,
                         ToLongFunction<TcpExtCounters> value) {
        if (baseline < 0) {
            return;
        }
        FunctionCounter.builder(name, probe, p -> {
                    long v = value.applyAsLong(p.latest().totals());
                    return v < 0 ? Double.NaN : Math.max(0, v - baseline);
                })
                .description(description).tags(tags).register(registry);
    }

    private void depthGauge(MeterRegistry registry, ListenSocket socket) {
        String address = socket.address();
        int port = socket.port();
        if (!endpoints.add(socket.endpoint())) {
            return;
        }
        Gauge.builder("readiness.listen.queue.depth", probe, p -> {
                    for (ListenSocket l : p.latest().listeners()) {
                        if (l.port() == port && l.address().equals(address)) {
                            return l.queueDepth();
                        }
                    }
                    return Double.NaN;
                })
                .description("connections waiting in the accept queue")
                .tags("address", address, "port", Integer.toString(port)).register(registry);
    }

    private static double orNaN(int v) {
        return v < 0 ? Double.NaN : v;
    }
}
