package dev.readiness.grpc;

import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.Probe;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What a gRPC server did, counted without Micrometer ({@link GrpcMetrics} publishes it): unary calls in flight,
 * streams open (client, server and bidirectional streaming calls), connections open, GOAWAYs sent by the drain
 * and by connection age, connections closed by age, and health status changes.
 * <p>
 * grpc-java does not report why it sent a GOAWAY, so two are inferred, each from one rule: the drain sends one to
 * every connection open when it stops accepting (it calls {@code Server.shutdown()}); a connection that ends
 * while the server is not draining, at least 90 % of {@code max-connection-age} after it opened (grpc-java's
 * lower jitter bound), was closed by age after a GOAWAY. A client that closes its own connection that late is
 * counted as aged too.
 * <pre>
 * GrpcStats stats = new GrpcStats(settings);
 * Server server = stats.install(GrpcServers.configure(NettyServerBuilder.forPort(9090), settings))
 *         .addService(health).build().start();
 * stats.watch(health);   // health status changes
 * stats.watch(drain);    // GOAWAYs of the drain
 * new GrpcMetrics(stats).bindTo(meterRegistry);
 * </pre>
 * Health calls ({@code grpc.health.v1.Health}) are not counted as calls or streams: probes and Watch streams
 * are not the service's work.
 */
public final class GrpcStats {

    /** Why a GOAWAY was sent. */
    public enum GoAwayReason {
        /** The drain stopped the server: one per connection open then. */
        DRAIN,
        /** The connection reached {@code max-connection-age}. */
        MAX_CONNECTION_AGE
    }

    private static final Attributes.Key<Long> OPENED = Attributes.Key.create("readiness.grpc.opened");

    private final long agedAfterNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong drainGoAways = new AtomicLong();
    private final AtomicLong agedConnections = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Map<Probe, Map<ServingStatus, AtomicLong>> healthChanges = new EnumMap<>(Probe.class);
    private final Interceptor interceptor = new Interceptor();
    private final TransportFilter filter = new TransportFilter();

    public GrpcStats(GrpcSettings settings) {
        this(settings, System::nanoTime);
    }

    GrpcStats(GrpcSettings settings, LongSupplier nanoTime) {
        this.agedAfterNanos = settings.maxConnectionAge().toNanos() / 10 * 9;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        for (Probe p : Probe.values()) {
            Map<ServingStatus, AtomicLong> byStatus = new EnumMap<>(ServingStatus.class);
            byStatus.put(ServingStatus.SERVING, new AtomicLong());
            byStatus.put(ServingStatus.NOT_SERVING, new AtomicLong());
            healthChanges.put(p, byStatus);
        }
    }

    /** Adds {@link #interceptor()} and {@link #transportFilter()} to {@code builder}; returns it. */
    public NettyServerBuilder install(NettyServerBuilder builder) {
        return builder.intercept(interceptor).addTransportFilter(filter);
    }

    /** Counts calls and streams; add it to the server (or use {@link #install}). */
    public ServerInterceptor interceptor() {
        return interceptor;
    }

    /** Counts connections and those closed by age; add it to the server (or use {@link #install}). */
    public ServerTransportFilter transportFilter() {
        return filter;
    }

    /** Counts {@code health}'s status changes. */
    public GrpcStats watch(RegistryHealthService health) {
        health.onChange((probe, status) -> {
            AtomicLong n = healthChanges.get(probe).get(status);
            if (n != null) {
                n.incrementAndGet();
            }
        });
        return this;
    }

    /** Counts the GOAWAYs {@code drain} sends: one per connection open when it stops accepting. */
    public GrpcStats watch(GracefulDrain drain) {
        drain.addListener((previous, next, took) -> {
            if (next == DrainPhase.DRAINING) {
                draining();
            }
        });
        return this;
    }

    /** The server is stopping to accept (called by {@link #watch(GracefulDrain)}); later calls do nothing. */
    void draining() {
        if (draining.compareAndSet(false, true)) {
            drainGoAways.addAndGet(connections.get());
        }
    }

    /** Unary calls running now. */
    public int callsInFlight() {
        return calls.get();
    }

    /** Streaming calls open now (client, server or bidirectional). */
    public int streamsOpen() {
        return streams.get();
    }

    /** Connections open now. */
    public int connectionsOpen() {
        return connections.get();
    }

    /** GOAWAYs sent so far for {@code reason}. */
    public long goAways(GoAwayReason reason) {
        return reason == GoAwayReason.DRAIN ? drainGoAways.get() : agedConnections.get();
    }

    /** Connections closed because they reached {@code max-connection-age}. */
    public long connectionsClosedByAge() {
        return agedConnections.get();
    }

    /** How many times {@code probe}'s health status turned to {@code status} ({@code SERVING} or {@code NOT_SERVING}). */
    public long healthChanges(Probe probe, ServingStatus status) {
        AtomicLong n = healthChanges.get(probe).get(status);
        return n == null ? 0 : n.get();
    }

    private final class Interceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            MethodDescriptor<Q, R> method = call.getMethodDescriptor();
            if (method.getServiceName() != null && method.getServiceName().equals("grpc.health.v1.Health")) {
                return next.startCall(call, headers);
            }
            AtomicInteger count = method.getType() == MethodDescriptor.MethodType.UNARY ? calls : streams;
            count.incrementAndGet();
            AtomicBoolean done = new AtomicBoolean();
            Runnable end = () -> {
                if (done.compareAndSet(false, true)) {
                    count.decrementAndGet();
                }
            };
            ServerCall.Listener<Q> delegate;
            try {
                delegate = next.startCall(call, headers);
            } catch (RuntimeException e) {
                end.run();
                throw e;
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
                @Override
                public void onComplete() {
                    end.run();
                    super.onComplete();
                }

                @Override
                public void onCancel() {
                    end.run();
                    super.onCancel();
                }
            };
        }
    }

    private final class TransportFilter extends ServerTransportFilter {
        @Override
        public Attributes transportReady(Attributes attrs) {
            connections.incrementAndGet();
            return attrs.toBuilder().set(OPENED, nanoTime.getAsLong()).build();
        }

        @Override
        public void transportTerminated(Attributes attrs) {
            Long opened = attrs == null ? null : attrs.get(OPENED);
            if (opened == null) {
                return; // never became ready: not counted as open
            }
            connections.decrementAndGet();
            if (!draining.get() && nanoTime.getAsLong() - opened >= agedAfterNanos) {
                agedConnections.incrementAndGet();
            }
        }
    }
}
