package dev.readiness.bench.grpc;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.grpc.GrpcDrain;
import dev.readiness.grpc.GrpcServers;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.grpc.RegistryHealthService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The load service on a grpc-java server with readiness: health from the registry, {@link GrpcDrain} on SIGTERM
 * (health NOT_SERVING, serve for {@code PROPAGATION_DELAY}, graceful GOAWAY, wait for calls and streams up to
 * {@code DRAIN_TIMEOUT}, close what is left saying why), exit 0. {@code PORT} on loopback.
 */
public final class ReadinessGrpcServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "0"));
        Duration propagation = Duration.parse("PT" + System.getenv().getOrDefault("PROPAGATION_DELAY", "1s"));
        Duration timeout = Duration.parse("PT" + System.getenv().getOrDefault("DRAIN_TIMEOUT", "3s"));
        HealthRegistry registry = HealthRegistry.create();
        registry.liveness("jvm", () -> CheckResult.up());
        GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
                .propagationDelay(propagation).timeout(timeout).build()).build();
        RegistryHealthService health = new RegistryHealthService(registry);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        ServerInterceptor counting = GrpcDrain.interceptor(drain);
        Server server = GrpcServers.configure(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)),
                        GrpcSettings.defaults())
                .addService(health).addService(LoadService.definition(LoadService.processId("readiness"), timer))
                .intercept(counting).build();
        GrpcDrain.install(server, counting, health, drain);
        drain.register("timer", timer);
        server.start();
        registry.start();
        registry.markStarted();
        drain.installShutdownHook();
        System.out.println("listening on " + server.getPort());
        server.awaitTermination();
    }
}
