package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.grpc.GrpcSaturation;
import dev.readiness.spring.boot.autoconfigure.grpc.ReadinessGrpc;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Tells {@link ServerSaturation} when a Spring gRPC server has started, so that a gRPC service without a web server
 * gets {@code readiness.saturation} from its calls in flight (unary calls plus streams, as {@link ReadinessGrpc}'s
 * counting sees them) over {@code readiness.saturation.concurrency-target}. Loaded only where Spring gRPC and
 * readiness-grpc are on the class path.
 */
final class GrpcServerSaturation implements ApplicationListener<GrpcServerStartedEvent> {

    private final ServerSaturation saturation;
    private final ObjectProvider<ReadinessGrpc> grpc;

    GrpcServerSaturation(ServerSaturation saturation, ObjectProvider<ReadinessGrpc> grpc) {
        this.saturation = saturation;
        this.grpc = grpc;
    }

    @Override
    public void onApplicationEvent(GrpcServerStartedEvent event) {
        ReadinessGrpc g = grpc.getIfAvailable();
        if (g != null) {
            saturation.grpcServerStarted(target -> GrpcSaturation.inFlight(g.stats(), target));
        }
    }
}
