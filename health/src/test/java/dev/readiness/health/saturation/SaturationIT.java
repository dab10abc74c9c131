package dev.readiness.health.saturation;

import dev.readiness.core.drain.InFlightTracker;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.servlet.InFlightFilter;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gauge follows real load on a real Tomcat and a real Jetty, read the way Prometheus reads it: from the
 * management server's {@code /metrics}. Slow requests hold a worker until the test releases them, so "all busy" and
 * "queued" are states the test creates, not timings it hopes for.
 */
class SaturationIT {

    private static final int WORKERS = 4;

    @TempDir
    Path base;
    private final HealthRegistry registry = HealthRegistry.create();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    private ManagementServer management;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            f.handle((r, e) -> null).get(20, TimeUnit.SECONDS);
        }
        for (AutoCloseable s : servers) {
            s.close();
        }
        if (management != null) {
            management.close();
        }
        registry.close();
    }

    @Test
    void tomcatGaugeIsZeroIdleOneWhenEveryWorkerIsBusyAndAboveOneWhenRequestsQueue() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("maxThreads", Integer.toString(WORKERS));
        tomcat.getConnector().setProperty("minSpareThreads", Integer.toString(WORKERS));
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().equals("/slow")) {
                    hold();
                }
                resp.getWriter().write("ok");
            }
        });
        ctx.addServletMappingDecoded("/*", "app");
        tomcat.start();
        servers.add(() -> {
            tomcat.stop();
            tomcat.destroy();
        });
        assertThat(TomcatSaturation.supports(tomcat.getConnector())).isTrue();
        int port = tomcat.getConnector().getLocalPort();
        followsLoad(TomcatSaturation.of(tomcat.getConnector()), "tomcat", port);
    }

    @Test
    void inFlightOverTheConcurrencyTargetFollowsLoadWhereThePoolIsUnbounded() throws Exception {
        InFlightTracker tracker = new InFlightTracker();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        ExecutorService unbounded = Executors.newCachedThreadPool();
        tomcat.getConnector().getProtocolHandler().setExecutor(unbounded);
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().equals("/slow")) {
                    hold();
                }
                resp.getWriter().write("ok");
            }
        });
        ctx.addServletMappingDecoded("/*", "app");
        FilterDef def = new FilterDef();
        def.setFilterName("inflight");
        def.setFilter(new InFlightFilter(tracker));
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("inflight");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        tomcat.start();
        servers.add(() -> {
            tomcat.stop();
            tomcat.destroy();
            unbounded.shutdownNow();
        });
        assertThat(TomcatSaturation.supports(tomcat.getConnector())).as("no bounded pool to read").isFalse();
        followsLoad(ConcurrencySaturation.of(tracker, WORKERS), "in-flight", tomcat.getConnector().getLocalPort());
    }

    @Test
    void jettyGaugeIsZeroIdleOneWhenEveryWorkerIsBusyAndAboveOneWhenRequestsQueue() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(8, 8);
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(org.eclipse.jetty.util.thread.Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (Request.getPathInContext(request).equals("/slow")) {
                    hold();
                }
                response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes()), callback);
                return true;
            }
        });
        server.start();
        servers.add(server::stop);
        assertThat(JettySaturation.supports(server)).isTrue();
        int capacity = pool.getMaxThreads() - pool.getLeasedThreads();
        assertThat(capacity).as("threads left for requests").isPositive();
        followsLoad(JettySaturation.of(server), "jetty", connector.getLocalPort(), capacity);
    }

    private void followsLoad(Saturation saturation, String source, int port) throws Exception {
        followsLoad(saturation, source, port, WORKERS);
    }

    private void followsLoad(Saturation saturation, String source, int appPort, int workers) throws Exception {
        new SaturationMetrics(saturation).bindTo(prometheus);
        management = ManagementServer.builder(registry).host("127.0.0.1").port(0)
                .handler("/metrics", PrometheusHandler.of(prometheus)).start();

        get(appPort, "/"); // one request served: the pool has started its threads
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape(source)).as("idle").isBetween(0.0, 0.01));

        for (int i = 0; i < workers; i++) {
            pending.add(slow(appPort));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(scrape(source)).as("every worker busy").isBetween(0.99, 1.01));

        for (int i = 0; i < workers; i++) {
            pending.add(slow(appPort));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(scrape(source)).as("requests queued behind busy workers").isGreaterThan(1.2));
        double queued = scrape(source);
        System.out.printf("saturation %s: workers %d, idle 0, busy 1, queued %.2f%n", source, workers, queued);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape(source)).as("idle again").isBetween(0.0, 0.01));
    }

    private void hold() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<HttpResponse<String>> slow(int port) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void get(int port, String path) throws Exception {
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    private double scrape(String source) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^readiness_saturation\\{source=\"" + source + "\"} (\\S+)$").matcher(body);
        assertThat(m.find()).as("readiness_saturation in /metrics:\n%s", body).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
