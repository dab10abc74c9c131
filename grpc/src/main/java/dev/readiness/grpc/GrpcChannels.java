package dev.readiness.grpc;

import io.grpc.ManagedChannelBuilder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Channels to a Kubernetes headless Service ({@code clusterIP: None}): {@code dns:///} resolves every ready pod
 * and {@code round_robin} spreads calls over all of them, with keep-alive pings every 30 s (10 s to answer), so a
 * connection to a pod whose IP went away is found dead in seconds rather than at the next call's deadline, and
 * idle channels dropped after 5 min, and client-side health checking ({@link #SERVICE_CONFIG}): each pod's
 * {@code grpc.health.v1.Health} is watched (service {@code ""}), so a pod that starts draining stops getting new
 * calls at once, before DNS drops it. Health checking needs {@code io.grpc:grpc-services} on the client's class
 * path; without it grpc-java ignores that part and balances over every connected pod. Use it when the client can
 * reach pods directly; behind a normal
 * (ClusterIP, L4) Service a channel sticks to one pod per connection, and the server's
 * {@code readiness.grpc.max-connection-age} is what spreads clients over new pods.
 */
public final class GrpcChannels {

    /**
     * {@code round_robin} with client-side health checking on service {@code ""} (readiness, with
     * {@link RegistryHealthService}), as a default service config.
     */
    public static final Map<String, ?> SERVICE_CONFIG = Map.of(
            "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
            "healthCheckConfig", Map.of("serviceName", ""));

    private GrpcChannels() {
    }

    /**
     * @param host the headless Service's DNS name, e.g. {@code echo.default.svc.cluster.local}
     * @param port the gRPC port
     * @throws IllegalArgumentException when {@code host} is blank or the port is not 1..65535
     */
    public static ManagedChannelBuilder<?> headless(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be the headless Service's DNS name, was '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        return ManagedChannelBuilder.forTarget("dns:///" + host + ":" + port)
                .defaultServiceConfig(SERVICE_CONFIG)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .idleTimeout(5, TimeUnit.MINUTES);
    }
}
