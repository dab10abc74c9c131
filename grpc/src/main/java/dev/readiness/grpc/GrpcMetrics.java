package dev.readiness.grpc;

import dev.readiness.core.probe.Probe;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Objects;

/**
 * Micrometer meters of a gRPC server's {@link GrpcStats}; the only class of this module that touches Micrometer.
 * <ul>
 *   <li>{@code readiness.grpc.calls.in.flight}: unary calls running now;</li>
 *   <li>{@code readiness.grpc.streams.open}: streaming calls open now;</li>
 *   <li>{@code readiness.grpc.connections.open}: connections open now;</li>
 *   <li>{@code readiness.grpc.goaways{reason=drain|max-connection-age}}: GOAWAYs sent;</li>
 *   <li>{@code readiness.grpc.connections.closed.by.age}: connections closed at {@code max-connection-age};</li>
 *   <li>{@code readiness.grpc.health.changes{service=readiness|liveness|startup,status=serving|not_serving}}:
 *       health status changes of the service that answers the probe.</li>
 * </ul>
 */
public final class GrpcMetrics implements MeterBinder {

    private final GrpcStats stats;

    public GrpcMetrics(GrpcStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("readiness.grpc.calls.in.flight", stats, GrpcStats::callsInFlight)
                .description("unary gRPC calls running").register(registry);
        Gauge.builder("readiness.grpc.streams.open", stats, GrpcStats::streamsOpen)
                .description("streaming gRPC calls open").register(registry);
        Gauge.builder("readiness.grpc.connections.open", stats, GrpcStats::connectionsOpen)
                .description("gRPC connections open").register(registry);
        for (GrpcStats.GoAwayReason r : GrpcStats.GoAwayReason.values()) {
            FunctionCounter.builder("readiness.grpc.goaways", stats, s -> s.goAways(r))
                    .tag("reason", r.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .description("GOAWAY frames sent, by the drain or at max-connection-age").register(registry);
        }
        FunctionCounter.builder("readiness.grpc.connections.closed.by.age", stats, GrpcStats::connectionsClosedByAge)
                .description("connections closed at max-connection-age").register(registry);
        for (Probe p : Probe.values()) {
            for (ServingStatus s : new ServingStatus[] {ServingStatus.SERVING, ServingStatus.NOT_SERVING}) {
                FunctionCounter.builder("readiness.grpc.health.changes", stats, st -> st.healthChanges(p, s))
                        .tag("service", p.name().toLowerCase(Locale.ROOT))
                        .tag("status", s.name().toLowerCase(Locale.ROOT))
                        .description("health status changes answered by grpc.health.v1.Health").register(registry);
            }
        }
    }
}
