package dev.readiness.health.jetty;

import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.InFlightTracker;
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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JettyDrainTest {

    private final HealthRegistry registry = HealthRegistry.create();
    private final GracefulDrain drain = GracefulDrain.builder(registry).build();
    private final InFlightTracker tracker = drain.tracker();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private Server server;
    private JettyDrain adapter;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (Request.getPathInContext(request).equals("/block")) {
                    entered.countDown();
                    release.await(20, TimeUnit.SECONDS);
                }
                if (Request.getPathInContext(request).equals("/empty")) {
                    response.setStatus(204);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(200);
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        adapter = JettyDrain.install(server, drain);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.stop();
        registry.close();
    }

    private CompletableFuture<String> blockingRequest(RawHttp http) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return http.get("/block");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void countsARequestUntilItsResponseCompletes() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            CompletableFuture<String> r = blockingRequest(http);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tracker.inFlight()).isEqualTo(1);
            release.countDown();
            assertThat(r.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("ok");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
            assertThat(tracker.completed()).isEqualTo(1);
        }
    }

    @Test
    void stopAcceptingRefusesNewConnectionsClosesIdleOnesAndLetsTheBusyOneFinishWithConnectionClose()
            throws Exception {
        try (RawHttp idle = new RawHttp(port); RawHttp busy = new RawHttp(port)) {
            assertThat(idle.get("/")).startsWith("HTTP/1.1 200");
            CompletableFuture<String> slow = blockingRequest(busy);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // The idle connection's request ends (on the server) just after its response reached the client;
            // until then that connection still counts as busy and is closed after its next response instead.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> tracker.inFlight() == 1);

            tracker.startClosingConnections(); // what the drain does before stopAccepting
            adapter.stopAccepting();

            assertThat(RawHttp.refused(port)).as("new connections refused").isTrue();
            assertThat(idle.closedByServer(5_000)).as("idle keep-alive connection closed").isTrue();
            release.countDown();
            String response = slow.get(10, TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close").endsWith("ok");
            assertThat(busy.closedByServer(5_000)).as("busy connection closed after its response").isTrue();
        }
    }

    @Test
    void responsesAfterTheDrainStoppedAcceptingCarryConnectionClose() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            assertThat(http.get("/")).doesNotContainIgnoringCase("Connection: close");
            tracker.startClosingConnections();
            assertThat(http.get("/")).containsIgnoringCase("Connection: close");
            assertThat(http.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void aResponseCompletedWithoutAWriteStillClosesItsConnectionWhenDraining() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            assertThat(http.get("/empty")).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("Connection: close");
            tracker.startClosingConnections();
            assertThat(http.get("/empty")).startsWith("HTTP/1.1 204").containsIgnoringCase("Connection: close");
            assertThat(http.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void installTurnsOffJettysOwnStopAtShutdown() {
        Server other = new Server();
        other.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        });
        other.setStopAtShutdown(true);
        JettyDrain.install(other, drain);
        assertThat(other.getStopAtShutdown()).isFalse();
        assertThat(other.getHandler()).isInstanceOf(InFlightHandler.class);
    }

    @Test
    void installNeedsAHandler() {
        assertThatThrownBy(() -> JettyDrain.install(new Server(), drain))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
    }
}
