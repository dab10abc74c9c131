package dev.readiness.core.drain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Micrometer meters of a {@link GracefulDrain}. Only this class touches Micrometer, so the drain works without
 * it on the class path.
 * <ul>
 *   <li>{@code readiness.drain.phase{phase=serving|propagating|draining|closing|stopped}}: 1 for the current
 *       phase, 0 for the others;</li>
 *   <li>{@code readiness.drain.in.flight}: requests in flight now;</li>
 *   <li>{@code readiness.drain.duration{phase=propagating|draining|closing|total}}: how long each phase of the
 *       drain took, recorded once per drain.</li>
 * </ul>
 */
public final class DrainMetrics implements MeterBinder {

    private final GracefulDrain drain;

    public DrainMetrics(GracefulDrain drain) {
        this.drain = Objects.requireNonNull(drain, "drain");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (DrainPhase p : DrainPhase.values()) {
            Gauge.builder("readiness.drain.phase", drain, d -> d.phase() == p ? 1 : 0)
                    .tag("phase", tag(p))
                    .description("1 for the drain's current phase, 0 for the others")
                    .register(registry);
        }
        InFlightTracker tracker = drain.tracker();
        Gauge.builder("readiness.drain.in.flight", tracker, InFlightTracker::inFlight)
                .description("requests in flight")
                .register(registry);
        Map<DrainPhase, Timer> timers = new EnumMap<>(DrainPhase.class);
        for (DrainPhase p : new DrainPhase[] {DrainPhase.PROPAGATING, DrainPhase.DRAINING, DrainPhase.CLOSING}) {
            timers.put(p, timer(registry, tag(p)));
        }
        Timer total = timer(registry, "total");
        drain.addListener(new DrainListener() {
            private Duration sum = Duration.ZERO;

            @Override
            public void onPhase(DrainPhase previous, DrainPhase next, Duration previousTook) {
                Timer t = timers.get(previous);
                if (t != null) {
                    t.record(previousTook);
                    sum = sum.plus(previousTook);
                }
                if (next == DrainPhase.STOPPED) {
                    total.record(sum);
                }
            }
        });
    }

    private static Timer timer(MeterRegistry registry, String phase) {
        return Timer.builder("readiness.drain.duration")
                .tag("phase", phase)
                .description("time a phase of the drain took")
                .register(registry);
    }

    private static String tag(DrainPhase p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
