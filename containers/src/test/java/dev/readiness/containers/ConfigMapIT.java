package dev.readiness.containers;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ConfigMap volume as the kubelet gives it to a container: a host directory mounted read-only at the image's
 * {@code READINESS_CONFIG_DIR}, updated from outside the container by the kubelet's atomic writer ({@code ..data}
 * swapped by one rename), read inside by the sample's watcher.
 */
class ConfigMapIT {

    @BeforeAll
    static void images() {
        Podman.buildImages();
    }

    @Test
    void aVolumeUpdatedFromOutsideTheKubeletsWayIsReadInsideTheContainer(@TempDir Path tmp) throws Exception {
        KubeletAtomicWriter config = ContainerTestSupport.configMap(tmp);
        try (RedisServer redis = RedisServer.start()) {
            int app = FreePorts.next();
            int mgmt = FreePorts.next();
            List<String> run = new ArrayList<>(ContainerTestSupport.hostNetworkOptions(config, redis, app, mgmt));
            run.addAll(List.of("--memory", "512m", "--read-only", "--tmpfs", "/tmp", Podman.image(Podman.SERVLET)));
            try (Podman.Container c = Podman.run(run.toArray(String[]::new))) {
                ContainerTestSupport.awaitReady(c, "127.0.0.1", mgmt, Duration.ofSeconds(90));
                assertThat(Podman.get("127.0.0.1", app, "/config/greeting").body()).isEqualTo("hello from the ConfigMap");
                assertThat(Podman.get("127.0.0.1", app, "/config/added").status()).isEqualTo(404);

                String before = config.currentGeneration();
                config.write(Map.of("greeting", "hello again", "added", "new key"));
                assertThat(config.currentGeneration()).isNotEqualTo(before);

                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    assertThat(Podman.get("127.0.0.1", app, "/config/greeting").body()).isEqualTo("hello again");
                    assertThat(Podman.get("127.0.0.1", app, "/config/added").body()).isEqualTo("new key");
                    assertThat(Podman.get("127.0.0.1", app, "/config/app.properties").status()).isEqualTo(404);
                });
                assertThat(c.running()).isTrue();
            }
        }
    }
}
