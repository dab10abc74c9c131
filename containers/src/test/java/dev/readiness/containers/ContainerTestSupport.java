package dev.readiness.containers;

import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** What the container tests share: the sample started as a pod runs it, and its probes. */
final class ContainerTestSupport {

    /** The base ConfigMap's keys (src/k8s/base), as the kubelet writes them into the volume. */
    static final Map<String, String> CONFIG = Map.of("greeting", "hello from the ConfigMap",
            "app.properties", "feature.new-checkout=false\n");

    private ContainerTestSupport() {
    }

    /** A ConfigMap volume on the host, written the kubelet's way, for {@code -v dir:/etc/service/config:ro}. */
    static KubeletAtomicWriter configMap(Path tmp) throws IOException {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(Podman.directory(tmp, "config", false));
        writer.write(CONFIG);
        return writer;
    }

    /**
     * The options of {@code podman run} for a sample on the host's network (ports free on the host) with the
     * ConfigMap mounted and sessions in {@code redis}, as the Deployment sets them.
     */
    static List<String> hostNetworkOptions(KubeletAtomicWriter config, RedisServer redis, int appPort, int mgmtPort) {
        return new ArrayList<>(List.of("--network", "host",
                "-v", config.targetDir() + ":/etc/service/config:ro",
                "-e", "SERVER_PORT=" + appPort,
                "-e", "READINESS_MANAGEMENT_PORT=" + mgmtPort,
                "-e", "READINESS_SESSIONS_REDIS_URI=" + redis.uri(),
                "-e", "READINESS_SESSIONS_MODE=redis"));
    }

    /** Waits until {@code /readyz} answers 200, failing with the container's log otherwise. */
    static void awaitReady(Podman.Container c, String host, int mgmtPort, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> Podman.get(host, mgmtPort, "/readyz").status() == 200 || !c.running());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not ready within " + timeout + "; log:\n" + c.logs(), e);
        }
        if (Podman.get(host, mgmtPort, "/readyz").status() != 200) {
            throw new AssertionError("the container stopped before it was ready; log:\n" + c.logs());
        }
    }

    /** A Prometheus sample's value: the first line whose name and labels start with {@code prefix}. */
    static double metric(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + metrics));
    }
}
