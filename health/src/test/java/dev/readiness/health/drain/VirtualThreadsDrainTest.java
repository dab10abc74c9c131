package dev.readiness.health.drain;

import dev.readiness.core.drain.DrainPhase;
import dev.readiness.core.drain.DrainReport;
import dev.readiness.core.drain.DrainSettings;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.jetty.JettyDrain;
import dev.readiness.health.servlet.InFlightFilter;
import dev.readiness.health.tomcat.TomcatDrain;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Requests served on virtual threads (Java 21 and later: Jetty's virtual-threads executor, Tomcat's
 * {@code useVirtualThreads}) are counted in flight and waited for by the drain, as requests on platform threads
 * are: the count and the wait hang on the request, never on the thread that serves it. On Java 17 the test is
 * skipped and says so; {@code ./test.sh} runs it again on Java 25.
 */
class VirtualThreadsDrainTest {

    @TempDir
    Path base;
    private final HealthRegistry registry = HealthRegistry.create();
    private final GracefulDrain drain = GracefulDrain.builder(registry).settings(DrainSettings.builder()
            .propagationDelay(Duration.ofMillis(200)).timeout(Duration.ofSeconds(20)).build()).build();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String servedOn = "not served";

    @BeforeEach
    void needsVirtualThreads() {
        boolean supported = Runtime.version().feature() >= 21 && VirtualThreads.areSupported();
        if (!supported) {
            System.out.println("VirtualThreadsDrainTest skipped: virtual threads need Java 21 or later, this JVM is "
                    + Runtime.version() + "; ./test.sh runs it again on Java 25");
        }
        assumeTrue(supported, "virtual threads need Java 21 or later; this JVM is " + Runtime.version());
    }

    @Test
    void jettyOnVirtualThreadsCountsTheRequestAndTheDrainWaitsForIt() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                block();
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("done".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        JettyDrain.install(server, drain);
        server.start();
        try {
            drainsWithARequestOnAVirtualThread(connector::getLocalPort);
        } finally {
            release.countDown();
            server.stop(); // idempotent: the drain stopped it
        }
    }

    @Test
    void tomcatOnVirtualThreadsCountsTheRequestAndTheDrainWaitsForIt() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getConnector().setProperty("useVirtualThreads", "true");
        Context ctx = tomcat.addContext("", null);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                block();
                resp.getWriter().write("done");
            }
        });
        ctx.addServletMappingDecoded("/", "app");
        FilterDef def = new FilterDef();
        def.setFilterName("inFlight");
        def.setFilter(new InFlightFilter(drain.tracker()));
        def.setAsyncSupported("true");
        ctx.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("inFlight");
        map.addURLPattern("/*");
        ctx.addFilterMap(map);
        TomcatDrain.install(tomcat, drain);
        tomcat.start();
        try {
            drainsWithARequestOnAVirtualThread(() -> tomcat.getConnector().getLocalPort());
        } finally {
            release.countDown();
            if (tomcat.getServer().getState() != org.apache.catalina.LifecycleState.DESTROYED) {
                tomcat.stop(); // the drain stops and destroys it; not when the test failed before
                tomcat.destroy();
            }
        }
    }

    private void block() {
        servedOn = Thread.currentThread().toString();
        entered.countDown();
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainsWithARequestOnAVirtualThread(IntSupplier port) throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port.getAsInt())) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("request in the handler").isTrue();
            assertThat(servedOn).as("the thread serving the request").startsWith("VirtualThread[");
            assertThat(drain.tracker().inFlight()).as("in flight").isEqualTo(1);

            CompletableFuture<DrainReport> draining = CompletableFuture.supplyAsync(drain::drain);
            await().atMost(Duration.ofSeconds(10)).until(() -> drain.phase() == DrainPhase.DRAINING);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                    drain.phase() == DrainPhase.DRAINING && !draining.isDone());

            release.countDown();
            InputStream in = client.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            DrainReport report = draining.get(30, TimeUnit.SECONDS);
            System.out.println("virtual threads (" + servedOn + "): " + report);
            assertThat(response).startsWith("HTTP/1.1 200").contains("done");
            assertThat(report.clean()).as("drain report %s", report).isTrue();
            assertThat(drain.tracker().inFlight()).isZero();
        }
    }
}
