package dev.readiness.war;

import dev.readiness.core.drain.DrainPhase;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import dev.readiness.tomcat.ReadinessLifecycleListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * readiness-war in a real (embedded) Tomcat 11, as its ServletContainerInitializer wires it, with and without
 * the server.xml listener. The standalone distribution, SIGTERM and the proxy are in the war-service sample's
 * {@code TomcatWarIT}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadinessWarOnTomcatTest {

    @TempDir
    Path dir;

    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(2), false);
    private Tomcat tomcat;
    private RedisServer redis;
    /** False in the tests of a refused start, where Tomcat never reaches destroy to unregister. */
    private boolean cleanStop = true;

    @AfterEach
    void close() throws Exception {
        if (tomcat != null && tomcat.getServer().getState().isAvailable()) {
            tomcat.stop();
        }
        if (tomcat != null && cleanStop) {
            tomcat.destroy();
        }
        if (redis != null) {
            redis.close();
        }
        http.close();
        var mbs = ManagementFactory.getPlatformMBeanServer();
        var left = mbs.queryNames(new javax.management.ObjectName("dev.readiness:*"), null);
        for (var name : left) {
            mbs.unregisterMBean(name);
        }
        if (cleanStop) {
            assertThat(left).as("MBeans left behind").isEmpty();
        }
    }

    private Context tomcat(Map<String, String> params, boolean listener) {
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        if (listener) {
            tomcat.getServer().addLifecycleListener(new ReadinessLifecycleListener());
        }
        Context ctx = tomcat.addContext("", dir.toString());
        params.forEach(ctx::addParameter);
        ctx.addServletContainerInitializer(new ReadinessInitializer(), null);
        // A filter of the application's own (as web.xml declares it): readiness' filters must come before it.
        FilterDef app = new FilterDef();
        app.setFilterName("app");
        app.setFilter((req, res, chain) -> chain.doFilter(req, res));
        ctx.addFilterDef(app);
        FilterMap appMap = new FilterMap();
        appMap.setFilterName("app");
        appMap.addURLPattern("/*");
        ctx.addFilterMap(appMap);
        Tomcat.addServlet(ctx, "app", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().equals("/counter")) {
                    var session = req.getSession(true);
                    int n = session.getAttribute("n") instanceof Integer i ? i + 1 : 1;
                    session.setAttribute("n", n);
                    resp.getWriter().print(n);
                } else if (req.getRequestURI().equals("/slow")) {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    resp.getWriter().print("slow");
                } else {
                    resp.getWriter().print("hello");
                }
            }
        });
        ctx.addServletMappingDecoded("/*", "app");
        return ctx;
    }

    private int status(int port, String path) {
        try {
            return http.get(port, path, Duration.ofSeconds(2)).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Test
    void wiresProbesTheInFlightFilterFirstAndRedisSessionsFromInitParameters() throws Exception {
        redis = RedisServer.start();
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.sessions.redis.uri", redis.uri(),
                "readiness.sessions.cookie.secure", "false", "readiness.checks.interval", "200ms"), false);
        tomcat.start();
        ReadinessWar war = ReadinessWar.of(ctx.getServletContext());
        int management = war.managementPort();

        await().atMost(Duration.ofSeconds(20)).until(() -> status(management, "/readyz") == 200);
        assertThat(status(management, "/livez")).isEqualTo(200);
        assertThat(Arrays.stream(((StandardContext) ctx).findFilterMaps()).map(FilterMap::getFilterName))
                .containsExactly(ReadinessWar.IN_FLIGHT_FILTER, ReadinessWar.SESSION_FILTER, "app");

        NoRetryHttpClient.Response first = http.get(port(), "/counter", Duration.ofSeconds(5));
        String cookie = first.headers("set-cookie").get(0).split(";", 2)[0];
        assertThat(cookie).startsWith("SESSION=");
        NoRetryHttpClient.Response second = http.get(port(), "/counter", Map.of("Cookie", cookie),
                Duration.ofSeconds(5));
        assertThat(second.text()).isEqualTo("2");
        assertThat(redis.command("KEYS", "readiness:session:*")).contains("readiness:session:");
        assertThat(war.drain().tracker().accepted()).isGreaterThanOrEqualTo(2);

        // /metrics: readiness' meters (probes, drain, the two session loads and saves) and the JVM's own
        NoRetryHttpClient.Response metrics = http.get(management, "/metrics", Duration.ofSeconds(5));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("content-type")).startsWith("text/plain");
        assertThat(metrics.text()).contains("readiness_probe", "readiness_drain", "readiness_sessions_load_seconds_count",
                "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "process_uptime_seconds",
                "readiness_gc_pressure_overhead");
        assertThat(war.registry().checks()).extracting(c -> c.name()).contains("gc-pressure", "deadlock");
        assertThat(metrics.text()).containsPattern("readiness_sessions_save_seconds_count(\\{[^}]*})? [2-9]");
    }

    @Test
    void withoutARedisUriItSaysSoAndStaysUnready() throws Exception {
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.management.details", "true",
                "readiness.checks.interval", "200ms"), false);
        tomcat.start();
        int management = ReadinessWar.of(ctx.getServletContext()).managementPort();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get(management, "/readyz?verbose",
                Duration.ofSeconds(2)).text().contains("READINESS_SESSIONS_REDIS_URI"));
        assertThat(status(management, "/readyz")).isEqualTo(503);
        assertThat(status(management, "/livez")).isEqualTo(200);
        assertThat(Arrays.stream(((StandardContext) ctx).findFilterMaps()).map(FilterMap::getFilterName))
                .containsExactly(ReadinessWar.IN_FLIGHT_FILTER, "app");
        assertThat(http.get(port(), "/", Duration.ofSeconds(5)).text()).isEqualTo("hello");
    }

    /**
     * With the listener the webapp reads Tomcat's connectors: {@code http-listener} liveness (DOWN once the listening
     * socket is closed behind Tomcat's back), {@code readiness_saturation{source="tomcat"}} from the pool, and the
     * listen probe's meters with the connector's acceptCount as the requested backlog.
     */
    @Test
    void withTheListenerItChecksTomcatsListenerAndReadsItsPoolAndListenQueue() throws Exception {
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.management.details", "true",
                "readiness.checks.interval", "200ms", "readiness.listen.sample-interval", "200ms"), true);
        tomcat.getConnector().setProperty("acceptCount", "321");
        tomcat.start();
        int management = ReadinessWar.of(ctx.getServletContext()).managementPort();
        // UP "not started yet" until its first evaluation after Tomcat started the connector, then UP reading it
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get(management, "/livez?verbose",
                Duration.ofSeconds(2)).text().contains("\"listening\":1"));
        assertThat(http.get(management, "/livez?verbose", Duration.ofSeconds(2)).text())
                .contains("\"http-listener\":{\"status\":\"UP\"");

        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> status(port(), "/slow"));
        await().atMost(Duration.ofSeconds(5)).until(() -> saturation(management) > 0);
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> saturation(management) == 0);
        String metrics = http.get(management, "/metrics", Duration.ofSeconds(5)).text();
        assertThat(metrics).contains("readiness_saturation{source=\"tomcat\"}", "readiness_listen_overflows_total");
        int somaxconn; // Files.readString sees one byte of a /proc/sys file on JDK 17: read it as a stream
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/sys/net/core/somaxconn"))) {
            somaxconn = Integer.parseInt(in.readLine().strip());
        }
        assertThat(metrics).contains("readiness_listen_backlog_effective " + Math.min(321, somaxconn) + ".0");
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get(management, "/metrics", Duration.ofSeconds(5))
                .text().contains("readiness_listen_queue_depth{address=\"127.0.0.1\",port=\"" + port() + "\"}"));

        // the listening socket closed behind Tomcat's back: the port refuses, and liveness says why
        int port = port();
        java.lang.reflect.Method endpoint = org.apache.coyote.AbstractProtocol.class.getDeclaredMethod("getEndpoint");
        endpoint.setAccessible(true);
        Object nio = endpoint.invoke(tomcat.getConnector().getProtocolHandler());
        java.lang.reflect.Method socket = nio.getClass().getDeclaredMethod("getServerSocket");
        socket.setAccessible(true);
        ((java.nio.channels.NetworkChannel) socket.invoke(nio)).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(port, "/") == -1);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(management, "/livez") == 503);
        assertThat(http.get(management, "/livez?verbose", Duration.ofSeconds(2)).text())
                .contains("\"http-listener\":{\"status\":\"DOWN\"");
    }

    /** Without the listener: no http-listener check, and saturation only from a concurrency target. */
    @Test
    void withoutTheListenerSaturationComesFromTheConcurrencyTarget() throws Exception {
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.saturation.concurrency-target", "4"),
                false);
        tomcat.start();
        ReadinessWar war = ReadinessWar.of(ctx.getServletContext());
        assertThat(war.registry().checks()).extracting(c -> c.name()).doesNotContain("http-listener")
                .contains("deadlock");
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> status(port(), "/slow"));
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get(war.managementPort(), "/metrics",
                Duration.ofSeconds(5)).text().contains("readiness_saturation{source=\"in-flight\"} 0.25"));
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    }

    private double saturation(int management) throws IOException {
        return http.get(management, "/metrics", Duration.ofSeconds(5)).text().lines()
                .filter(l -> l.startsWith("readiness_saturation{source=\"tomcat\"} "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void aBadInitParameterFailsTheWebappAndOpensNothing() throws Exception {
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.drain.timeout", "soon"), false);
        tomcat.start();
        assertThat(ctx.getState().isAvailable()).isFalse();
        assertThat(ctx.getServletContext().getAttribute(ReadinessWar.ATTRIBUTE)).isNull();
    }

    @Test
    void theListenerDrainsOnTomcatsStopBeforeTheConnectorsPause() throws Exception {
        Context ctx = tomcat(Map.of("readiness.management.port", "0", "readiness.drain.propagation-delay", "2s",
                "readiness.drain.timeout", "10s", "readiness.checks.interval", "200ms"), true);
        tomcat.start();
        ReadinessWar war = ReadinessWar.of(ctx.getServletContext());
        int management = war.managementPort();
        int port = port();
        assertThat(String.valueOf(tomcat.getConnector().getProperty("bindOnInit"))).isEqualTo("false");
        assertThat(status(port, "/")).isEqualTo(200);

        CompletableFuture<NoRetryHttpClient.Response> slow = CompletableFuture.supplyAsync(() -> {
            try (NoRetryHttpClient own = new NoRetryHttpClient(Duration.ofSeconds(2), false)) {
                return own.get(port, "/slow", Duration.ofSeconds(20));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> war.drain().tracker().inFlight() == 1);
        long t0 = System.nanoTime();
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                tomcat.stop();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
        });
        // Readiness DOWN at once, and still serving new connections during the propagation delay.
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(10))
                .until(() -> war.drain().phase() == DrainPhase.PROPAGATING);
        assertThat(status(port, "/")).isEqualTo(200);
        assertThat(status(management, "/livez")).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1e9).as("checked within the propagation delay").isLessThan(2.0);
        // Then the listening socket is closed, the slow request still finishes on its connection.
        await().atMost(Duration.ofSeconds(5)).until(() -> status(port, "/") == -1);
        assertThat(slow.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(slow.get().header("Connection")).isEqualToIgnoringCase("close");
        stop.get(20, TimeUnit.SECONDS);
        assertThat(war.drain().phase()).isEqualTo(DrainPhase.STOPPED);
        assertThat((System.nanoTime() - t0) / 1e9).as("the stop waited for the propagation delay")
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void theListenerRefusesToBeDeclaredAnywhereButTheServer() {
        cleanStop = false;
        tomcat(Map.of("readiness.management.port", "0"), false);
        tomcat.getEngine().addLifecycleListener(new ReadinessLifecycleListener());
        assertThatThrownBy(() -> tomcat.start()).isInstanceOf(LifecycleException.class)
                .rootCause().hasMessageContaining("must be declared directly inside <Server>");
    }

    @Test
    void twoListenersInOneJvmAreRefused() {
        cleanStop = false;
        tomcat(Map.of("readiness.management.port", "0"), true);
        tomcat.getServer().addLifecycleListener(new ReadinessLifecycleListener());
        assertThatThrownBy(() -> tomcat.start()).isInstanceOf(LifecycleException.class)
                .rootCause().hasMessageContaining("is already registered: declare ReadinessLifecycleListener once");
    }
}
