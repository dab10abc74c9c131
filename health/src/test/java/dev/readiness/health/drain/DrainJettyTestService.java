package dev.readiness.health.drain;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.drain.DrainConfig;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.core.probe.ProbeReport;
import dev.readiness.health.jetty.JettyDrain;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.ByteBuffer;

/**
 * The service the rolling-restart test forks: Jetty 12 with the drain adapter, {@code GET /}, {@code GET
 * /slow?ms=N} and a minimal {@code GET /readyz} read from the {@link HealthRegistry}. Port from
 * {@code SERVER_PORT} (0 when unset), drain settings from {@code READINESS_DRAIN_*}. Prints
 * {@code LISTENING port=N}.
 */
public final class DrainJettyTestService {

    public static void main(String[] args) throws Exception {
        DrainSettings settings = DrainConfig.from(ReadinessConfig.defaults());
        HealthRegistry registry = HealthRegistry.create();
        GracefulDrain drain = GracefulDrain.builder(registry).settings(settings).build();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        String port = System.getenv("SERVER_PORT");
        connector.setPort(port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim()));
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                switch (path) {
                    case "/readyz" -> {
                        ProbeReport r = registry.report(Probe.READINESS);
                        response.setStatus(r.httpStatus());
                        response.write(true, ByteBuffer.wrap(r.json()), callback);
                    }
                    case "/slow" -> {
                        Fields q = Request.extractQueryParameters(request);
                        long ms = Long.parseLong(q.getValue("ms") == null ? "100" : q.getValue("ms"));
                        Thread.sleep(ms);
                        Content.Sink.write(response, true, "slept " + ms, callback);
                    }
                    default -> Content.Sink.write(response, true, "hello", callback);
                }
                return true;
            }
        });
        JettyDrain.install(server, drain);
        drain.register("server-threads", () -> System.out.println("closed server-threads"));
        server.start();
        registry.start();
        registry.markStarted();
        drain.installShutdownHook();
        System.out.println("LISTENING port=" + connector.getLocalPort());
        System.out.flush();
        server.join();
        Thread.currentThread().join(); // the drain halts the process
    }
}
