package dev.readiness.health.jetty;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.drain.RawHttp;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real Jetty whose listener dies under it, seen from Jetty's own state while the port refuses connections. */
class JettyListenerCheckTest {

    private final HealthRegistry registry = HealthRegistry.create();
    private final GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
            .propagationDelay(Duration.ZERO).timeout(Duration.ofSeconds(5)).build()).build();
    private Server server;
    private ServerConnector connector;
    private JettyListenerCheck check;

    @BeforeEach
    void create() {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        JettyDrain.install(server, drain);
        check = JettyListenerCheck.of(server, drain);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        registry.close();
    }

    @Test
    void upBeforeTheServerStartedAndWhileItListens() throws Exception {
        assertThat(check.check()).isEqualTo(CheckResult.up("not started yet"));
        server.start();
        try (RawHttp http = new RawHttp(connector.getLocalPort())) {
            assertThat(http.get("/")).startsWith("HTTP/1.1 200");
        }
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.details()).containsEntry("listening", 1);
    }

    @Test
    void downNamingThePortWhenTheListeningSocketClosedUnderARunningServer() throws Exception {
        server.start();
        int port = connector.getLocalPort();
        assertThat(check.check().isUp()).isTrue();

        // what a dead listener looks like from inside: the server runs, its socket does not (closed by whatever
        // went wrong; here by the test, behind Jetty's back)
        ((ServerSocketChannel) connector.getTransport()).close();

        // the JDK closes the socket at once, and wakes the acceptor blocked on it a moment later
        await().atMost(Duration.ofSeconds(5)).until(() -> RawHttp.refused(port));
        assertThat(server.isStarted()).as("the server still says it runs").isTrue();
        CheckResult r = check.check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).contains("on 127.0.0.1:" + port + " no longer listens (its socket is closed)");
        assertThat(r.details()).containsEntry("listening", 0);
    }

    @Test
    void downWhenTheServerStoppedWithoutADrain() throws Exception {
        server.start();
        assertThat(check.check().isUp()).isTrue();
        server.stop();
        assertThat(check.check().message()).contains("the server is STOPPED after it had started");
        assertThat(check.check().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void upWhileADrainClosesTheListenerOnPurpose() throws Exception {
        server.start();
        int port = connector.getLocalPort();
        drain.drain();
        assertThat(RawHttp.refused(port)).as("the drain closed the listener").isTrue();
        assertThat(check.check()).isEqualTo(CheckResult.up("stopping on purpose"));
    }
}
