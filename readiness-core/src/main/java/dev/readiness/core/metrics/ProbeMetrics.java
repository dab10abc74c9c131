package dev.readiness.core.metrics;

import dev.readiness.core.check.Status;
import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.CheckListener;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;

/**
 * Micrometer meters for the probes of a {@link HealthRegistry}. Only loaded when Micrometer is on the class path.
 * <ul>
 *   <li>{@code readiness.probe.up} {probe}: 1 when the probe answers 200, else 0.</li>
 *   <li>{@code readiness.probe.degraded} {probe}: 1 when a check that is not required is DOWN.</li>
 *   <li>{@code readiness.availability.state} {state}: 1 for the current state, 0 for the others.</li>
 *   <li>{@code readiness.check.status} {probe, check, required}: 1 UP, 0 DOWN (timed out and stale included),
 *       -1 not evaluated yet.</li>
 *   <li>{@code readiness.check.degraded} {probe, check}: 1 while a check that is not required is DOWN (the
 *       dependency is out and the service serves without it), else 0; readiness and startup checks only (liveness
 *       checks are always required).</li>
 *   <li>{@code readiness.check.down.after} {probe, check, from}: how long a check took to turn DOWN, from the
 *       client's connection-lost event ({@code from=event}) or, without one, from its last passing result
 *       ({@code from=last-result}, an upper bound of the time the loss went unseen).</li>
 *   <li>{@code readiness.check.up.after} {probe, check, from}: how long a check took to turn UP again, from the
 *       client's reconnect ({@code from=event}) or from its last failing result ({@code from=last-result}).</li>
 *   <li>{@code readiness.check.duration} {probe, check, result}: how long evaluations ran (a timed-out one
 *       counts its timeout).</li>
 *   <li>{@code readiness.check.timeouts} {probe, check}: evaluations cut off by their timeout, and ticks
 *       that found the cut-off evaluation still hanging.</li>
 * </ul>
 * Checks registered after binding get their meters at their first result.
 */
public final class ProbeMetrics implements MeterBinder {

    private final HealthRegistry registry;

    public ProbeMetrics(HealthRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (Probe probe : Probe.values()) {
            Gauge.builder("readiness.probe.up", registry, r -> r.report(probe).isUp() ? 1 : 0)
                    .tag("probe", probe.tag()).description("1 when the probe answers 200, else 0")
                    .strongReference(true).register(meters);
            Gauge.builder("readiness.probe.degraded", registry, r -> r.report(probe).degraded() ? 1 : 0)
                    .tag("probe", probe.tag()).description("1 when a check that is not required is DOWN")
                    .strongReference(true).register(meters);
        }
        for (AvailabilityState state : AvailabilityState.values()) {
            Gauge.builder("readiness.availability.state", registry, r -> r.state() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .description("1 for the current availability state").strongReference(true).register(meters);
        }
        for (CheckSnapshot s : registry.checks()) {
            statusGauge(meters, s.probe(), s.name(), s.required());
        }
        registry.addCheckListener(new Recorder(meters));
    }

    private void statusGauge(MeterRegistry meters, Probe probe, String check, boolean required) {
        Gauge.builder("readiness.check.status", registry, r -> status(r, probe, check))
                .tags("probe", probe.tag(), "check", check, "required", Boolean.toString(required))
                .description("1 UP, 0 DOWN (timed out or stale included), -1 not evaluated yet")
                .strongReference(true).register(meters);
        if (probe == Probe.LIVENESS) {
            return; // liveness checks are always required: never degraded
        }
        Gauge.builder("readiness.check.degraded", registry, r -> degraded(r, probe, check))
                .tags("probe", probe.tag(), "check", check)
                .description("1 while this check is not required and DOWN: the service serves without the dependency")
                .strongReference(true).register(meters);
    }

    private static double degraded(HealthRegistry r, Probe probe, String check) {
        CheckSnapshot s = snapshot(r, probe, check);
        return s == null ? Double.NaN : !s.required() && s.status() == Status.DOWN ? 1 : 0;
    }

    private static double status(HealthRegistry r, Probe probe, String check) {
        CheckSnapshot s = snapshot(r, probe, check);
        return s == null ? Double.NaN : s.status() == Status.UP ? 1 : s.status() == Status.DOWN ? 0 : -1;
    }

    /** The check's snapshot in the probe's latest report, or null once it is gone. */
    private static CheckSnapshot snapshot(HealthRegistry r, Probe probe, String check) {
        for (CheckSnapshot s : r.report(probe).checks()) {
            if (s.name().equals(check)) {
                return s;
            }
        }
        return null;
    }

    private final class Recorder implements CheckListener {
        private final MeterRegistry meters;

        Recorder(MeterRegistry meters) {
            this.meters = meters;
        }

        @Override
        public void onResult(Probe probe, String check, dev.readiness.core.check.CheckResult result,
                             java.time.Duration took, boolean timedOut) {
            Tags tags = Tags.of("probe", probe.tag(), "check", check);
            if (meters.find("readiness.check.status").tags(tags).gauge() == null) {
                statusGauge(meters, probe, check, registry.optionsOf(probe, check).required());
            }
            Timer.builder("readiness.check.duration").tags(tags)
                    .tag("result", timedOut ? "timeout" : result.isUp() ? "up" : "down")
                    .description("how long check evaluations ran").register(meters).record(took);
            if (timedOut) {
                Counter.builder("readiness.check.timeouts").tags(tags)
                        .description("evaluations cut off by their timeout").register(meters).increment();
            }
        }

        @Override
        public void onTransition(Probe probe, String check, Status from, Status to, java.time.Duration after,
                                 boolean fromEvent) {
            Timer.builder(to == Status.DOWN ? "readiness.check.down.after" : "readiness.check.up.after")
                    .tags("probe", probe.tag(), "check", check, "from", fromEvent ? "event" : "last-result")
                    .description(to == Status.DOWN
                            ? "time from the connection loss (from=event) or the last passing result to DOWN"
                            : "time from the reconnect (from=event) or the last failing result to UP")
                    .register(meters).record(after);
        }
    }
}
