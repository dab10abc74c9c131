package dev.readiness.core.listen;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.probe.HealthRegistry;

import java.time.Duration;
import java.util.Objects;

/**
 * A readiness check that is DOWN while the accept queue overflows: DOWN when {@code ListenOverflows} grew since
 * the previous evaluation, UP again at the first evaluation without new overflows. When the counters cannot be
 * read it stays UP and says so, since a platform without {@code /proc} is no reason to refuse traffic.
 * <p>
 * Why a {@link DependencyCheck} and not a {@code LocalCheck}: the accept queue is kernel state filled by clients
 * from outside the process, and an overflow means more load than this replica takes. A restart cures none of
 * that; it removes a replica and pushes its load onto the others, so the check must never be a liveness check,
 * and the type system refuses {@code DependencyCheck}s for liveness. Reading {@code /proc} is also I/O that the
 * engine should bound with a timeout.
 * <p>
 * Off by default ({@link ListenQueueSettings#readinessOnOverflow()}): the counters cover the whole pod network
 * namespace (a sidecar's overflows count too), and when every replica overflows, taking them all out of the
 * endpoints turns a partial outage into a full one. Use it where there is spare capacity behind the Service.
 */
public final class ListenQueueCheck implements DependencyCheck {

    /** The name the check is registered under: {@code listen-queue}. */
    public static final String NAME = "listen-queue";

    private final ListenQueueProbe probe;
    private long lastOverflows = -1;

    public ListenQueueCheck(ListenQueueProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /**
     * Registers the check for readiness when {@link ListenQueueSettings#readinessOnOverflow()} is on, evaluated
     * every {@link ListenQueueSettings#sampleInterval()} with a timeout of at most 2 s.
     *
     * @return whether it was registered
     */
    public static boolean registerIfEnabled(HealthRegistry registry, ListenQueueProbe probe) {
        Duration interval = probe.settings().sampleInterval();
        Duration timeout = interval.compareTo(CheckOptions.DEFAULT_TIMEOUT) < 0 ? interval : CheckOptions.DEFAULT_TIMEOUT;
        return registerIfEnabled(registry, probe, CheckOptions.builder().interval(interval).timeout(timeout).build());
    }

    /**
     * Registers the check for readiness with these options when {@link ListenQueueSettings#readinessOnOverflow()}
     * is on.
     *
     * @return whether it was registered
     */
    public static boolean registerIfEnabled(HealthRegistry registry, ListenQueueProbe probe, CheckOptions options) {
        if (!probe.settings().readinessOnOverflow()) {
            return false;
        }
        registry.readiness(NAME, new ListenQueueCheck(probe), options);
        return true;
    }

    @Override
    public synchronized CheckResult check(Duration timeout) {
        ListenQueueSample s = probe.sample();
        long total = s.totals().listenOverflows();
        if (total < 0) {
            return CheckResult.up("listen queue unknown: " + String.join("; ", s.unknown()));
        }
        long gained = lastOverflows < 0 ? 0 : Math.max(0, total - lastOverflows);
        lastOverflows = total;
        CheckResult r = gained > 0
                ? CheckResult.down("accept queue overflowed: " + gained + " connections dropped since the last check")
                : CheckResult.up();
        r = r.withDetail("overflows", gained).withDetail("maxQueueDepth", s.maxQueueDepth());
        if (s.effectiveBacklog() >= 0) {
            r = r.withDetail("effectiveBacklog", s.effectiveBacklog());
        }
        return r;
    }
}
