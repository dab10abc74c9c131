package dev.readiness.bench.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The anchor: the load service on a plain grpc-java server as its documentation shows it, grpc-java's own
 * {@link HealthStatusManager} (SERVING), and a shutdown hook that calls {@code shutdown()} and then
 * {@code awaitTermination(DRAIN_TIMEOUT)}. {@code PORT} on loopback.
 */
public final class PlainGrpcServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "0"));
        Duration timeout = Duration.parse("PT" + System.getenv().getOrDefault("DRAIN_TIMEOUT", "3s"));
        HealthStatusManager health = new HealthStatusManager();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(health.getHealthService())
                .addService(LoadService.definition(LoadService.processId("plain"), timer)).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            try {
                server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("listening on " + server.getPort());
        server.awaitTermination();
    }
}
