package dev.readiness.spring.boot.autoconfigure.grpc;

import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.grpc.GrpcDrain;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.grpc.GrpcStats;
import dev.readiness.grpc.RegistryHealthService;
import io.grpc.ServerInterceptor;

import java.util.Objects;

/**
 * What readiness adds to every Spring gRPC server of the context: the health service answered from the
 * registry, the counting of {@link GrpcStats}, the drain's interceptor, and {@code readiness.grpc.*}. A bean that
 * is not itself a {@code BindableService}, so that Spring gRPC does not bind the health service twice: the
 * server customizer puts it in place of the one Spring Boot binds.
 */
public final class ReadinessGrpc implements AutoCloseable {

    private final GrpcSettings settings;
    private final RegistryHealthService health;
    private final GrpcStats stats;
    private final GracefulDrain drain;
    private final ServerInterceptor drainInterceptor;

    ReadinessGrpc(HealthRegistry registry, GrpcSettings settings, GracefulDrain drain) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.health = new RegistryHealthService(registry);
        this.stats = new GrpcStats(settings).watch(health);
        this.drain = drain;
        this.drainInterceptor = drain == null ? null : GrpcDrain.interceptor(drain);
        if (drain != null) {
            stats.watch(drain);
        }
    }

    public GrpcSettings settings() {
        return settings;
    }

    /** {@code grpc.health.v1.Health} from the registry: {@code ""}, {@code readiness}, {@code liveness}, {@code startup}. */
    public RegistryHealthService health() {
        return health;
    }

    public GrpcStats stats() {
        return stats;
    }

    /** The drain the servers are added to, or null when the drain is off. */
    GracefulDrain drain() {
        return drain;
    }

    /** The interceptor that feeds the drain's in-flight count, or null when the drain is off. */
    ServerInterceptor drainInterceptor() {
        return drainInterceptor;
    }

    @Override
    public void close() {
        health.close();
    }
}
