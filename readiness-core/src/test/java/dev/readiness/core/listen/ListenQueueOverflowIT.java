package dev.readiness.core.listen;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.Status;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real accept-queue overflow on loopback: a listener with a backlog of 1 that never accepts is flooded with
 * connects. The kernel keeps backlog + 1 = 2 connections in its queue and drops the rest silently, counting
 * them in TcpExt ListenOverflows; the probe must see both.
 */
class ListenQueueOverflowIT {

    private static final int BACKLOG = 1;
    private static final int CONNECTS = 12;

    @BeforeAll
    static void needsLinuxProc() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/netstat")) && Files.isReadable(Path.of("/proc/net/tcp"))
                        && Files.isDirectory(Path.of("/proc/self/fd")),
                "skipped: needs Linux /proc (/proc/net/netstat, /proc/net/tcp, /proc/self/fd); this machine runs "
                        + System.getProperty("os.name"));
    }

    @Test
    void overflowOnLoopbackMovesCountersQueueDepthMetricsAndCheck() throws IOException {
        overflow(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void overflowOnIpv6LoopbackIsSeenInTcp6() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (IOException e) {
            assumeTrue(false, "skipped: this machine has no IPv6 loopback (" + e + ")");
        }
        overflow(v6);
    }

    @Test
    void readinessTurnsDownWhileTheQueueOverflowsAndUpWhenItStops() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(); HealthRegistry registry = HealthRegistry.create()) {
            server.bind(new InetSocketAddress(loopback, 0), BACKLOG);
            ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder().requestedBacklog(BACKLOG)
                    .minBacklog(0).sampleInterval(Duration.ofMillis(200)).readinessOnOverflow(true).build())
                    .warnings(w -> { }).build();
            assertThat(ListenQueueCheck.registerIfEnabled(registry, probe)).isTrue();
            registry.start();
            registry.markStarted();
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).httpStatus() == 200);

            for (int i = 0; i < CONNECTS; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                clients.add(c);
                c.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).httpStatus() == 503);
            assertThat(registry.report(Probe.READINESS).checks()).singleElement().satisfies(c ->
                    assertThat(c.message()).startsWith("accept queue overflowed:"));

            // the dropped clients stop retrying their SYNs: no more overflows, readiness comes back
            for (SocketChannel c : clients) {
                c.close();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).httpStatus() == 200);
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }

    private void overflow(InetAddress loopback) throws IOException {
        List<String> warnings = new CopyOnWriteArrayList<>();
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0), BACKLOG);
            int port = server.getLocalPort();
            // no ports configured: the probe must find this listener through /proc/self/fd
            ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder()
                            .requestedBacklog(BACKLOG).minBacklog(0).build())
                    .warnings(warnings::add).build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ListenQueueMetrics(probe).bindTo(registry);
            ListenQueueCheck check = new ListenQueueCheck(probe);

            ListenQueueSample before = probe.sample();
            assertThat(before.unknown()).isEmpty();
            assertThat(before.somaxconn()).isPositive();
            assertThat(before.effectiveBacklog()).isEqualTo(BACKLOG);
            assertThat(before.queueDepth(port)).as("own listener found, empty queue").isZero();
            assertThat(check.check(Duration.ofSeconds(1)).status()).isEqualTo(Status.UP);

            for (int i = 0; i < CONNECTS; i++) {
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                clients.add(c);
                c.connect(new InetSocketAddress(loopback, port)); // does not wait: a dropped SYN would hang it
            }

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                ListenQueueSample s = probe.sample();
                return s.queueDepth(port) == BACKLOG + 1
                        && s.totals().listenOverflows() > before.totals().listenOverflows();
            });
            ListenQueueSample after = probe.latest();
            assertThat(after.queueFull()).isTrue();
            assertThat(after.totals().listenDrops()).isGreaterThan(before.totals().listenDrops());
            assertThat(registry.get("readiness.listen.queue.depth").tag("port", Integer.toString(port)).gauge()
                    .value()).isEqualTo(BACKLOG + 1);
            assertThat(registry.get("readiness.listen.overflows").functionCounter().count()).isPositive();
            assertThat(registry.get("readiness.listen.backlog.effective").gauge().value()).isEqualTo(BACKLOG);
            assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("accept queue overflow:")
                    .contains(":" + port + "=" + (BACKLOG + 1)));

            CheckResult r = check.check(Duration.ofSeconds(1));
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).startsWith("accept queue overflowed:");
        } finally {
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }
}
