package dev.readiness.health.agent;

import dev.readiness.testkit.FreePorts;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.saturation.JettySaturation;
import dev.readiness.testkit.Haproxy;
import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.rolling.LoadDriver;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent spoken to by a real HAProxy (Debian's {@code haproxy}; a machine without it fails here, it does not
 * skip), its state read from HAProxy's admin socket with {@code show stat}: weights follow a real Jetty's saturation;
 * on a real SIGTERM HAProxy shows the server DRAIN before its httpchk on {@code /readyz} fails; and a rolling restart
 * of two forked services behind it, under load with no retries, fails no request.
 */
class HaproxyAgentIT {

    @TempDir
    Path dir;

    private static String config(int frontend, String servers) {
        return Haproxy.httpConfig(frontend, 1000, servers.endsWith("\n") ? servers : servers + "\n");
    }

    @Test
    void agentWeightsFollowSaturation() throws Exception {
        HealthRegistry registry = HealthRegistry.create();
        CountDownLatch release = new CountDownLatch(1);
        QueuedThreadPool pool = new QueuedThreadPool(8, 8);
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Invocable.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (Request.getPathInContext(request).equals("/slow")) {
                    release.await(30, TimeUnit.SECONDS);
                }
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        List<Socket> held = new ArrayList<>();
        try (AgentServer agent = AgentServer.builder(registry).settings(AgentSettings.builder().host("127.0.0.1")
                .port(0).shedAbove(0.8).shedFull(1.5).minWeight(10).build())
                .saturation(JettySaturation.of(server)).start();
             Haproxy haproxy = Haproxy.start(dir, config(FreePorts.next(),
                     "  server s1 127.0.0.1:%d weight 100 check inter 1s agent-check agent-port %d agent-inter 100ms"
                             .formatted(connector.getLocalPort(), agent.port())))) {
            registry.start();
            registry.markStarted();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, String> s = haproxy.server("be", "s1");
                assertThat(s.get("status")).isEqualTo("UP");
                assertThat(s.get("weight")).isEqualTo("100");
            });

            int capacity = pool.getMaxThreads() - pool.getLeasedThreads();
            for (int i = 0; i < 2 * capacity; i++) { // every worker held, as many queued: saturation 2
                Socket s = new Socket("127.0.0.1", connector.getLocalPort());
                s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                held.add(s);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("weight")).as("weight at saturation 2").isEqualTo("10"));
            assertThat(agent.answers(AgentAnswer.UP)).isPositive();

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("weight")).as("weight once idle").isEqualTo("100"));
            assertThat(haproxy.server("be", "s1").get("status")).isEqualTo("UP");
        } finally {
            release.countDown();
            for (Socket s : held) {
                s.close();
            }
            server.stop();
            registry.close();
        }
    }

    @Test
    void afterReadinessTheWeightRampsOverTheSlowStart() throws Exception {
        HealthRegistry registry = HealthRegistry.create();
        try (ServerSocket app = new ServerSocket(0);
             AgentServer agent = AgentServer.builder(registry).settings(AgentSettings.builder().host("127.0.0.1")
                     .port(0).minWeight(10).slowStart(Duration.ofSeconds(3)).build()).start();
             Haproxy haproxy = Haproxy.start(dir, config(FreePorts.next(),
                     "  server s1 127.0.0.1:%d weight 100 check inter 1s agent-check agent-port %d agent-inter 100ms"
                             .formatted(app.getLocalPort(), agent.port())))) {
            registry.start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("status")).as("agent says down while starting")
                            .startsWith("DOWN"));
            registry.markStarted();
            List<Integer> weights = new ArrayList<>();
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8)) {
                Map<String, String> s = haproxy.server("be", "s1");
                if (s.get("status").equals("UP")) {
                    int w = Integer.parseInt(s.get("weight"));
                    if (weights.isEmpty() || weights.get(weights.size() - 1) != w) {
                        weights.add(w);
                    }
                    if (w == 100) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
            System.out.println("HAProxy weights during a 3 s slow start: " + weights);
            assertThat(weights).as("weights seen").isNotEmpty();
            assertThat(weights.get(0)).as("first weight once UP: %s", weights).isLessThan(50);
            assertThat(weights.get(weights.size() - 1)).as("full at the end: %s", weights).isEqualTo(100);
            assertThat(weights).as("steps between: %s", weights).hasSizeGreaterThan(3).isSorted();
        } finally {
            registry.close();
        }
    }

    private static ForkedJvm service(String name, int app, int management, int agent, Duration propagation)
            throws IOException {
        return ForkedJvm.start(name, ForkedJvm.currentClasspath(), AgentTestService.class.getName(),
                Map.of("SERVER_PORT", Integer.toString(app), "READINESS_MANAGEMENT_PORT", Integer.toString(management),
                        "READINESS_AGENT_PORT", Integer.toString(agent), "READINESS_AGENT_HOST", "127.0.0.1",
                        "READINESS_DRAIN_PROPAGATION_DELAY", propagation.toMillis() + "ms",
                        "READINESS_DRAIN_TIMEOUT", "10s"),
                List.of("-Xmx96m", "-XX:TieredStopAtLevel=1"), false);
    }

    private static String server(String name, int app, int management, int agent) {
        return ("  server %s 127.0.0.1:%d weight 100 check port %d inter 500ms fall 2 rise 1"
                + " agent-check agent-port %d agent-inter 100ms agent-send \"%s\\n\"\n")
                .formatted(name, app, management, agent, name);
    }

    @Test
    void onSigtermHaproxyShowsDrainBeforeItsHealthCheckFails() throws Exception {
        int app = FreePorts.next();
        int management = FreePorts.next();
        int agent = FreePorts.next();
        try (ForkedJvm jvm = service("drain-order", app, management, agent, Duration.ofSeconds(3));
             Haproxy haproxy = Haproxy.start(dir, config(FreePorts.next(),
                     "  option httpchk GET /readyz\n" + server("s1", app, management, agent)))) {
            jvm.await("LISTENING port=(\\d+)", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(haproxy.server("be", "s1").get("status")).isEqualTo("UP"));

            jvm.signal("TERM");
            long t0 = System.nanoTime();
            List<String> seen = new ArrayList<>();
            String drainAt = null;
            String downAt = null;
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10) && downAt == null) {
                String status = haproxy.server("be", "s1").get("status");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (seen.isEmpty() || !seen.get(seen.size() - 1).startsWith(status + " ")) {
                    seen.add(status + " at " + ms + " ms");
                }
                if (status.startsWith("DRAIN") && drainAt == null) {
                    drainAt = ms + " ms";
                }
                if (status.startsWith("DOWN")) {
                    downAt = ms + " ms";
                }
                Thread.sleep(20);
            }
            System.out.println("HAProxy after SIGTERM: " + seen);
            assertThat(drainAt).as("DRAIN seen: %s", seen).isNotNull();
            assertThat(downAt).as("httpchk failed within the propagation delay: %s", seen).isNotNull();
            // UP (perhaps "UP 1/2": one failed check of the two that mark it DOWN), then DRAIN, then DOWN
            int drain = -1;
            for (int i = 0; i < seen.size() && drain < 0; i++) {
                drain = seen.get(i).startsWith("DRAIN") ? i : -1;
            }
            assertThat(drain).as("DRAIN after UP: %s", seen).isPositive();
            assertThat(seen.subList(0, drain)).as("only UP before DRAIN: %s", seen).allMatch(x -> x.startsWith("UP"));
            assertThat(seen.get(seen.size() - 1)).as("DOWN last: %s", seen).startsWith("DOWN");
            assertThat(jvm.awaitExit(Duration.ofSeconds(30))).as("exit status:\n%s", String.join("\n", jvm.lines()))
                    .isZero();
        }
    }

    @Test
    void rollingRestartWithTheAgentOnFailsNoRequest() throws Exception {
        int frontend = FreePorts.next();
        int[][] ports = new int[2][3];
        StringBuilder servers = new StringBuilder("  option httpchk GET /readyz\n");
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                ports[i][j] = FreePorts.next();
            }
            servers.append(server("s" + (i + 1), ports[i][0], ports[i][1], ports[i][2]));
        }
        Duration propagation = Duration.ofSeconds(2);
        ForkedJvm[] jvms = new ForkedJvm[2];
        try (Haproxy haproxy = Haproxy.start(dir, config(frontend, servers.toString()))) {
            for (int i = 0; i < 2; i++) {
                jvms[i] = service("s" + (i + 1), ports[i][0], ports[i][1], ports[i][2], propagation);
            }
            for (int i = 0; i < 2; i++) {
                jvms[i].await("LISTENING port=(\\d+)", Duration.ofSeconds(30));
                awaitUp(haproxy, "s" + (i + 1));
            }
            try (LoadDriver load = new LoadDriver(frontend, 50, 10, Duration.ofMillis(800), Duration.ofSeconds(60))) {
                load.start();
                Thread.sleep(1_000);
                for (int i = 0; i < 2; i++) {
                    jvms[i].signal("TERM");
                    assertThat(jvms[i].awaitExit(Duration.ofSeconds(30))).as("exit of s%d:\n%s", i + 1,
                            String.join("\n", jvms[i].lines())).isZero();
                    jvms[i].close();
                    jvms[i] = service("s" + (i + 1) + "-new", ports[i][0], ports[i][1], ports[i][2], propagation);
                    jvms[i].await("LISTENING port=(\\d+)", Duration.ofSeconds(30));
                    awaitUp(haproxy, "s" + (i + 1));
                }
                Thread.sleep(1_000);
                load.stopAndAwait(Duration.ofSeconds(20));
                System.out.printf("rolling restart behind HAProxy with the agent: sent %d, ok %d, failed %d%n",
                        load.sent(), load.ok(), load.failed());
                assertThat(load.failed()).as("failed requests: %s", load.failureSamples()).isZero();
                assertThat(load.ok()).isEqualTo(load.sent()).isPositive();
                assertThat(load.slowOk()).as("slow requests were part of the load").isPositive();
            }
        } finally {
            for (ForkedJvm j : jvms) {
                if (j != null) {
                    j.close();
                }
            }
        }
    }

    private static void awaitUp(Haproxy haproxy, String server) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, String> s = haproxy.server("be", server);
            assertThat(s.get("status")).isEqualTo("UP");
            assertThat(s.get("weight")).isEqualTo("100");
        });
    }
}
