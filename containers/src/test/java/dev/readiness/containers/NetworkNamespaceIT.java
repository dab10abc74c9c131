package dev.readiness.containers;

import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The servlet sample in a network namespace of its own (podman's bridge, as a pod has one) with
 * {@code --sysctl net.core.somaxconn}: the listen probe reads the container's own somaxconn and TcpExt counters,
 * not the host's, warns when its backlog (4096) is capped, and an overflow provoked from the host shows in its
 * metrics.
 */
class NetworkNamespaceIT {

    @BeforeAll
    static void images() {
        Podman.buildImages();
    }

    @ParameterizedTest(name = "net.core.somaxconn={0}")
    @ValueSource(ints = {128, 4096})
    void theListenProbeReadsTheContainersOwnSomaxconnAndOverflows(int somaxconn, @TempDir Path tmp) throws Exception {
        KubeletAtomicWriter config = ContainerTestSupport.configMap(tmp);
        // Reachable from the container's namespace through the bridge (host.containers.internal).
        try (RedisServer redis = RedisServer.start("--bind", "0.0.0.0");
             Podman.Container c = Podman.run("--sysctl", "net.core.somaxconn=" + somaxconn, "--memory", "512m",
                     "-v", config.targetDir() + ":/etc/service/config:ro",
                     "-e", "READINESS_SESSIONS_REDIS_URI=redis://host.containers.internal:" + redis.port(),
                     "-e", "READINESS_LISTEN_SAMPLE_INTERVAL=1s", "-e", "READINESS_LISTEN_LOG_INTERVAL=1s", Podman.image(Podman.SERVLET))) {
            String ip = c.inspect("{{.NetworkSettings.IPAddress}}");
            assertThat(ip).as("the container's own address on the bridge").isNotBlank();
            ContainerTestSupport.awaitReady(c, ip, 8081, Duration.ofSeconds(90));
            assertThat(Podman.get(ip, 8080, "/session/counter").body()).isEqualTo("1");

            String metrics = Podman.get(ip, 8081, "/metrics").body();
            assertThat(ContainerTestSupport.metric(metrics, "readiness_listen_somaxconn")).isEqualTo(somaxconn);
            assertThat(ContainerTestSupport.metric(metrics, "readiness_listen_backlog_effective"))
                    .isEqualTo(Math.min(4096, somaxconn));
            String capped = "listen backlog capped: the server requests 4096 but net.core.somaxconn is " + somaxconn;
            if (somaxconn < 4096) {
                assertThat(c.logs()).contains(capped);
                // Frozen, the service accepts nothing: the kernel queues somaxconn + 1 handshakes and drops the rest,
                // silently, counting them in the container's own ListenOverflows.
                assertThat(Podman.podman(Duration.ofSeconds(30), "pause", c.name).exit()).isZero();
                List<SocketChannel> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < somaxconn + 100; i++) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(new InetSocketAddress(ip, 8080));
                        clients.add(ch);
                    }
                    Thread.sleep(2_000);
                } finally {
                    assertThat(Podman.podman(Duration.ofSeconds(30), "unpause", c.name).exit()).isZero();
                    for (SocketChannel ch : clients) {
                        close(ch);
                    }
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(ContainerTestSupport.metric(Podman.get(ip, 8081, "/metrics").body(),
                                "readiness_listen_overflows_total")).isGreaterThan(0));
                String log = c.logs();
                assertThat(log).contains("accept queue overflow:");
                System.out.println(log.lines().filter(l -> l.contains("accept queue overflow:")).findFirst().orElseThrow());
            } else {
                assertThat(c.logs()).doesNotContain("listen backlog capped");
                assertThat(ContainerTestSupport.metric(metrics, "readiness_listen_overflows_total")).isZero();
            }
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing a half-open client: nothing to keep
        }
    }
}
