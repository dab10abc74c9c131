package dev.readiness.health.agent;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.jetty.JettyDrain;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import dev.readiness.health.saturation.JettySaturation;
import dev.readiness.health.saturation.SaturationMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The service the HAProxy tests fork: Jetty 12 with the drain adapter ({@code GET /}, {@code GET /slow?ms=N}), the
 * management server ({@code /readyz}, {@code /metrics} with {@code readiness_saturation}) on
 * {@code READINESS_MANAGEMENT_PORT} and the agent on {@code READINESS_AGENT_PORT}, its weight following the Jetty
 * pool's saturation ({@code THREADS} threads at most, 32 by default). Drain and agent settings from
 * {@code READINESS_*}. Prints {@code LISTENING port=N}.
 */
public final class AgentTestService {

    public static void main(String[] args) throws Exception {
        HealthRegistry registry = HealthRegistry.create();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainConfig.from(ReadinessConfig.defaults()))
                .build();
        QueuedThreadPool pool = new QueuedThreadPool(Integer.parseInt(System.getenv().getOrDefault("THREADS", "32")), 8);
        pool.setReservedThreads(0); // every busy thread a request's, so saturation counts requests
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "0")));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (Request.getPathInContext(request).equals("/slow")) {
                    Fields q = Request.extractQueryParameters(request);
                    Thread.sleep(Long.parseLong(q.getValue("ms") == null ? "100" : q.getValue("ms")));
                }
                Content.Sink.write(response, true, "hello", callback);
                return true;
            }
        });
        JettyDrain.install(server, drain);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ManagementServer management = ManagementServer.builder(registry).host("127.0.0.1")
                .port(Integer.parseInt(System.getenv().getOrDefault("READINESS_MANAGEMENT_PORT", "0")))
                .handler("/metrics", PrometheusHandler.of(prometheus)).start();
        AgentServer agent = AgentServer.builder(registry).settings(AgentSettings.from(SettingsSource.defaults()))
                .start();
        drain.register("management", management);
        drain.register("agent", agent);
        server.start();
        agent.saturation(JettySaturation.of(server));
        new SaturationMetrics(JettySaturation.of(server)).bindTo(prometheus);
        registry.start();
        registry.markStarted();
        drain.installShutdownHook();
        System.out.println("LISTENING port=" + connector.getLocalPort());
        System.out.flush();
        Thread.currentThread().join(); // the drain halts the process
    }
}
