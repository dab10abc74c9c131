package dev.readiness.bench.scaling;

import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.warmup.HttpWarmUp;
import dev.readiness.core.warmup.WarmUp;
import dev.readiness.core.warmup.WarmUpReport;
import dev.readiness.core.warmup.WarmUpSettings;
import dev.readiness.health.agent.AgentServer;
import dev.readiness.health.agent.AgentSettings;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.saturation.JettySaturation;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.Locale;
import java.util.TreeMap;

/**
 * The service of the joining-instance benchmark: Jetty with {@code GET /work}, a request whose cost depends on the
 * JIT (builds, sorts and formats a small document, as a JSON endpoint does), answered with the instance's name; the
 * management server ({@code /readyz}); the HAProxy agent, its weight following Jetty's saturation. With
 * {@code readiness.warmup.paths} set, the built-in warm-up runs before readiness turns UP; the agent's slow start
 * from {@code readiness.agent.slow-start}. Names from {@code INSTANCE}; ports from {@code SERVER_PORT},
 * {@code READINESS_MANAGEMENT_PORT} and {@code READINESS_AGENT_PORT}. Prints {@code READY took=N ms warmup=N ms}.
 */
public final class JoinService {

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String name = System.getenv().getOrDefault("INSTANCE", "instance");
        HealthRegistry registry = HealthRegistry.create();
        Server server = new Server(new QueuedThreadPool(64, 8));
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(System.getenv().getOrDefault("SERVER_PORT", "0")));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, work(name), callback);
                return true;
            }
        });
        ManagementServer.builder(registry).host("127.0.0.1")
                .port(Integer.parseInt(System.getenv().getOrDefault("READINESS_MANAGEMENT_PORT", "0"))).start();
        AgentServer agent = AgentServer.builder(registry).settings(AgentSettings.from(SettingsSource.defaults())).start();
        server.start();
        agent.saturation(JettySaturation.of(server));
        registry.start();
        WarmUpSettings warmUp = WarmUpSettings.from(SettingsSource.defaults());
        WarmUp.Builder b = WarmUp.builder(warmUp);
        if (!warmUp.paths().isEmpty()) {
            b.task("http", HttpWarmUp.of(warmUp, connector.getLocalPort()));
        }
        WarmUpReport report = b.build().runThenStart(registry);
        System.out.println("READY took=" + (System.nanoTime() - t0) / 1_000_000 + " ms warmup="
                + report.took().toMillis() + " ms");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** What a JSON endpoint does: build a document, sort it, format it. Costly interpreted, cheap compiled. */
    static String work(String name) {
        TreeMap<String, Double> doc = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            doc.put(String.format(Locale.ROOT, "item-%04d-%s", (i * 7919) % 1000, Integer.toHexString(i * 31)),
                    Math.sqrt(i) * 1.5);
        }
        StringBuilder b = new StringBuilder("{\"served_by\":\"").append(name).append("\",\"items\":{");
        doc.forEach((k, v) -> b.append('"').append(k).append("\":").append(String.format(Locale.ROOT, "%.3f", v))
                .append(','));
        b.setLength(b.length() - 1);
        return b.append("}}").toString();
    }
}
