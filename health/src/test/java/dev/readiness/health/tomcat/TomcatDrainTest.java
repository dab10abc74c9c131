package dev.readiness.health.tomcat;

import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.drain.RawHttp;
import dev.readiness.health.servlet.InFlightFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real embedded Tomcat with the servlet in-flight filter and the Tomcat drain adapter. */
class TomcatDrainTest {

    @TempDir
    Path base;
    private final HealthRegistry registry = HealthRegistry.create();
    private final GracefulDrain drain = GracefulDrain.builder(registry).build();
    private final InFlightTracker tracker = drain.tracker();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile AsyncContext pendingAsync;
    private Tomcat tomcat;
    private TomcatDrain adapter;
    private int port;

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addContext("", null);
        Wrapper w = Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                switch (req.getRequestURI()) {
                    case "/block" -> {
                        entered.countDown();
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    case "/async" -> {
                        pendingAsync = req.startAsync();
                        entered.countDown();
                        return;
                    }
                    case "/empty" -> {
                        resp.setStatus(204);
                        return;
                    }
                    default -> { }
                }
                resp.setContentType("text/plain");
                resp.getWriter().write("ok");
            }
        });
        w.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/*", "app");
        FilterDef fd = new FilterDef();
        fd.setFilterName("in-flight");
        fd.setFilter(new InFlightFilter(tracker));
        fd.setAsyncSupported("true");
        ctx.addFilterDef(fd);
        FilterMap fm = new FilterMap();
        fm.setFilterName("in-flight");
        fm.addURLPattern("/*");
        ctx.addFilterMap(fm);
        adapter = TomcatDrain.install(tomcat, drain);
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        tomcat.stop();
        tomcat.destroy();
        registry.close();
    }

    private CompletableFuture<String> request(RawHttp http, String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return http.get(path);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void filterCountsARequestUntilItsResponseCompletes() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            CompletableFuture<String> r = request(http, "/block");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tracker.inFlight()).isEqualTo(1);
            release.countDown();
            assertThat(r.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("ok");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
        }
    }

    @Test
    void filterCountsAnAsyncRequestUntilTheAsyncContextCompletes() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            CompletableFuture<String> r = request(http, "/async");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> tracker.inFlight() == 1);
            pendingAsync.getResponse().getWriter().write("ok");
            pendingAsync.complete();
            assertThat(r.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").endsWith("ok");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tracker.inFlight() == 0);
        }
    }

    @Test
    void stopAcceptingRefusesNewConnectionsClosesIdleOnesAndServesTheBusyOneWithConnectionClose()
            throws Exception {
        try (RawHttp idle = new RawHttp(port); RawHttp busy = new RawHttp(port)) {
            assertThat(idle.get("/")).startsWith("HTTP/1.1 200");
            CompletableFuture<String> slow = request(busy, "/block");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            tracker.startClosingConnections();
            adapter.stopAccepting();

            assertThat(RawHttp.refused(port)).as("new connections refused").isTrue();
            assertThat(idle.closedByServer(5_000)).as("idle keep-alive connection closed").isTrue();
            release.countDown();
            String response = slow.get(10, TimeUnit.SECONDS);
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close").endsWith("ok");
            assertThat(busy.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void aResponseWithoutABodyAfterTheDrainStoppedAcceptingStillClosesItsConnection() throws Exception {
        try (RawHttp http = new RawHttp(port)) {
            assertThat(http.get("/empty")).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("Connection: close");
            tracker.startClosingConnections();
            assertThat(http.get("/empty")).startsWith("HTTP/1.1 204").containsIgnoringCase("Connection: close");
            assertThat(http.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void installAfterStartIsRefused() {
        assertThatThrownBy(() -> TomcatDrain.install(tomcat, drain))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before Tomcat starts");
    }
}
