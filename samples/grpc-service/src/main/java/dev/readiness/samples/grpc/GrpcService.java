package dev.readiness.samples.grpc;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.ChecksConfig;
import dev.readiness.core.check.DeadlockCheck;
import dev.readiness.core.check.LivenessSettings;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainMetrics;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.health.saturation.SaturationMetrics;
import dev.readiness.health.saturation.SaturationSettings;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadConfig;
import dev.readiness.core.reload.ConfigReloadMetrics;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.grpc.GrpcConfig;
import dev.readiness.grpc.GrpcDrain;
import dev.readiness.grpc.GrpcMetrics;
import dev.readiness.grpc.GrpcSaturation;
import dev.readiness.grpc.GrpcServers;
import dev.readiness.grpc.GrpcSettings;
import dev.readiness.grpc.GrpcStats;
import dev.readiness.grpc.RegistryHealthService;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.lettuce.core.RedisURI;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.microprofile.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A plain grpc-java service wired with the readiness modules directly, no framework. Start:
 * {@code java -jar grpc-service.jar} (or through the gc-tuning entrypoint), configured by environment variables
 * ({@code GRPC_PORT}, {@code READINESS_*}; see {@code src/docs/samples.md}).
 * <p>
 * gRPC on {@code GRPC_PORT} (9090): {@code grpc.health.v1.Health} answered from the registry (service {@code ""}
 * and {@code "readiness"}, {@code "liveness"}, {@code "startup"}: Kubernetes' native {@code grpc:} probes),
 * server reflection, and {@code readiness.samples.v1.Echo}. The HTTP probes and {@code /metrics} on the
 * management port (8081). On SIGTERM: health {@code NOT_SERVING} at once, calls served for the propagation delay,
 * a graceful GOAWAY, running calls awaited up to the drain timeout, then what was opened closed in reverse order,
 * exit 0.
 */
public final class GrpcService {

    private static final Logger log = LoggerFactory.getLogger(GrpcService.class);

    private final HealthRegistry registry;
    private final GracefulDrain drain;
    private final CheckOptions checks;
    private final String servedBy;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Server server;
    private ManagementServer management;

    private GrpcService(Config config) {
        // readiness.checks.*: the schedule of the dependency checks (interval, timeout, recovery-interval, ...).
        checks = ChecksConfig.from(config);
        registry = HealthRegistry.builder().dependencyDefaults(checks).build();
        // readiness.drain.*: validated now; a drain that does not fit the termination grace period is reported.
        drain = GracefulDrain.builder(registry).settings(DrainConfig.from(config)).build();
        servedBy = host() + "/" + ProcessHandle.current().pid() + "/"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private void open(Config config) throws Exception {
        GrpcSampleSettings settings = GrpcSampleSettings.from(config);
        // readiness.grpc.*: connection age and its grace, so clients behind an L4 Service reach new pods.
        GrpcSettings grpc = GrpcConfig.from(config);

        java.util.Optional<RedisURI> redisUri = settings.redisUri();

        // Management port (readiness.management.*): /livez, /readyz, /startupz and /metrics, for tools that speak
        // HTTP; the kubelet uses the gRPC health service.
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        management = ManagementServer.builder(registry).config(config)
                .handler("/metrics", PrometheusHandler.of(metrics)).start();
        own("management-server", management);
        own("health-registry", registry);

        // Degraded, not required: every replica shares this Redis, so its outage must not take every pod out of
        // the Service at once (src/docs/probes.md, shared dependencies). It shows in ?verbose and the metrics.
        if (redisUri.isPresent()) {
            RedisDependency redis = own("redis", new RedisDependency(redisUri.get()));
            registry.readiness("redis", redis, checks.toBuilder().required(false).build());
            log.info("readiness check 'redis' PINGs {} (degraded: never takes readiness DOWN)",
                    GrpcSampleSettings.redact(redisUri.get().toString()));
        } else {
            // The production jar holds no development Redis (samples/run.sh --grpc runs DevGrpcService, which
            // starts one). Degraded: the service still serves, and the check says why Redis is missing.
            String reason = "no Redis configured: set READINESS_SESSIONS_REDIS_URI (redis://host:6379)";
            log.warn("{}; readiness check 'redis' stays DOWN (degraded: readiness stays UP)", reason);
            registry.readiness("redis", (dev.readiness.core.check.DependencyCheck) timeout ->
                    dev.readiness.core.check.CheckResult.down(reason), checks.toBuilder().required(false).build());
        }

        new ProbeMetrics(registry).bindTo(metrics);
        new DrainMetrics(drain).bindTo(metrics);
        new GcPressureMetrics(GcRuntime.install(registry, config).orElse(null)).bindTo(metrics);
        if (LivenessSettings.from(SettingsSource.of(config)).deadlockEnabled()) {
            registry.liveness(DeadlockCheck.NAME, new DeadlockCheck());
        }

        // The ConfigMap directory (readiness.config.dir), reloaded in place when the kubelet swaps ..data, with its
        // reload metrics; a service of your own reads its settings from the watcher. Loaded now: a missing or
        // invalid directory fails the start.
        if (SettingsSource.of(config).text(ConfigMapWatcher.DIR.name()).filter(d -> !d.isBlank()).isPresent()) {
            ConfigMapWatcher watcher = own("configmap-watcher", ConfigReloadConfig.from(config).build().start());
            new ConfigReloadMetrics(watcher).bindTo(metrics);
        }

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "echo-timer");
            t.setDaemon(true);
            return t;
        });
        drain.register("echo-timer", timer);
        opened.push(timer::shutdownNow);

        RegistryHealthService health = new RegistryHealthService(registry);
        GrpcStats stats = new GrpcStats(grpc).watch(health).watch(drain);
        new GrpcMetrics(stats).bindTo(metrics);
        // readiness.saturation.*: calls in flight over the concurrency target, the gauge an autoscaler follows.
        // Echo waits on a timer and holds no thread, and grpc-java's default executor has no bound to read; a
        // service of blocking calls gives the server a bounded executor and reads GrpcSaturation.executor(pool).
        SaturationSettings.from(SettingsSource.of(config)).choose("grpc-java's default executor",
                target -> GrpcSaturation.inFlight(stats, target), java.util.Optional.empty(), log::warn)
                .ifPresent(s -> new SaturationMetrics(s).bindTo(metrics));
        ServerInterceptor counting = GrpcDrain.interceptor(drain);
        server = stats.install(GrpcServers.configure(NettyServerBuilder.forPort(settings.port()), grpc))
                .addService(health)
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(new EchoService(servedBy, timer).definition())
                .intercept(counting)
                .build();
        GrpcDrain.install(server, counting, health, drain);
        opened.push(health);
    }

    private <T extends AutoCloseable> T own(String name, T resource) {
        drain.register(name, resource);
        opened.push(resource);
        return resource;
    }

    /**
     * Builds and starts the service from {@code config}; {@link #drain()} stops it. When the start fails, what was
     * opened is closed and the exception is thrown.
     */
    public static GrpcService start(Config config) throws Exception {
        return start(config, java.util.Map.of());
    }

    /**
     * As {@link #start(Config)}, with {@code first} (a development Redis, say) registered with the drain before
     * everything else, so it is closed last.
     */
    public static GrpcService start(Config config, java.util.Map<String, AutoCloseable> first) throws Exception {
        GrpcService service = new GrpcService(config);
        first.forEach(service::own);
        try {
            service.open(config);
            service.server.start();
            service.registry.start();
            service.registry.markStarted();
        } catch (Exception | Error e) {
            service.abort(e);
            throw e;
        }
        int port = service.server.getPort();
        log.info("grpc-service started: gRPC localhost:{} (Echo, Health, reflection; try grpcurl -plaintext"
                        + " -d '{\"text\":\"hi\"}' localhost:{} readiness.samples.v1.Echo/Echo); probes"
                        + " http://localhost:{}/livez /readyz /startupz; served_by {}", port, port,
                service.management.port(), service.servedBy);
        return service;
    }

    private void abort(Throwable cause) {
        log.error("grpc-service failed to start: {}", cause.toString());
        if (server != null) {
            server.shutdownNow();
        }
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Drains and stops the service, as SIGTERM does. */
    public DrainReport drain() {
        return drain.drain();
    }

    public int port() {
        return server.getPort();
    }

    private static String host() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    public static void main(String[] args) throws Exception {
        run(ReadinessConfig.defaults(), java.util.Map.of());
    }

    /** Starts the service and serves until SIGTERM (or Ctrl-C) drains it: exit with readiness.drain.exit-code (0). */
    static void run(Config config, java.util.Map<String, AutoCloseable> first) throws Exception {
        GrpcService service = start(config, first);
        service.drain.installShutdownHook();
        service.server.awaitTermination();
    }
}
