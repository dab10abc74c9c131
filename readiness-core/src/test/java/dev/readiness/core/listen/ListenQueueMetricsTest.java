package dev.readiness.core.listen;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ListenQueueMetricsTest {

    @TempDir
    Path tmp;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void registersEveryMeterWithValuesFromTheLastSample() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(root, Set.of(8080, 8443));

        new ListenQueueMetrics(probe).bindTo(registry);

        assertThat(registry.get("readiness.listen.somaxconn").gauge().value()).isEqualTo(128);
        assertThat(registry.get("readiness.listen.backlog.effective").gauge().value()).isEqualTo(100);
        assertThat(registry.get("readiness.listen.overflows").functionCounter().count()).isZero();
        assertThat(registry.get("readiness.listen.drops").functionCounter().count()).isZero();
        assertThat(registry.get("readiness.listen.syncookies").tag("kind", "sent").functionCounter().count()).isZero();
        assertThat(registry.get("readiness.listen.queue.depth").tag("port", "8080").tag("address", "0.0.0.0")
                .gauge().value()).isEqualTo(129);
        assertThat(registry.get("readiness.listen.queue.depth").tag("port", "8443").gauge().value()).isEqualTo(5);

        ProcTrees.write(root.resolve("net/netstat"), "TcpExt: ListenOverflows ListenDrops SyncookiesSent"
                + " SyncookiesRecv SyncookiesFailed\nTcpExt: 1600 1610 20 3 1\n");
        probe.sample();

        assertThat(registry.get("readiness.listen.overflows").functionCounter().count()).isEqualTo(77);
        assertThat(registry.get("readiness.listen.drops").functionCounter().count()).isEqualTo(80);
        assertThat(registry.get("readiness.listen.syncookies").tag("kind", "sent").functionCounter().count())
                .isEqualTo(8);
    }

    @Test
    void gaugesAListenerThatAppearsLaterAndShowsNaNWhenItIsGone() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(root, Set.of(8080, 9090));
        new ListenQueueMetrics(probe).bindTo(registry);
        assertThat(registry.find("readiness.listen.queue.depth").tag("port", "9090").gauge()).isNull();

        String tcp = Files.readString(root.resolve("net/tcp"));
        Files.writeString(root.resolve("net/tcp"), tcp.replace(":1F90 ", ":2382 ")); // 8080 closed, 9090 opened
        probe.sample();

        assertThat(registry.get("readiness.listen.queue.depth").tag("port", "9090").gauge().value()).isEqualTo(129);
        assertThat(registry.get("readiness.listen.queue.depth").tag("port", "8080").gauge().value()).isNaN();
    }

    @Test
    void registersNothingWhereProcIsMissing() {
        ListenQueueProbe probe = probe(tmp.resolve("absent"), Set.of());

        new ListenQueueMetrics(probe).bindTo(registry);
        probe.sample();

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aReadThatFailsAfterBindingIsNaNNotAnException() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(root, Set.of(8080));
        new ListenQueueMetrics(probe).bindTo(registry);

        Files.delete(root.resolve("net/netstat"));
        Files.delete(root.resolve("sys/net/core/somaxconn"));
        probe.sample();

        assertThat(registry.get("readiness.listen.overflows").functionCounter().count()).isNaN();
        // somaxconn counts at listen() time, so it is re-read only at full reads
        assertThat(registry.get("readiness.listen.somaxconn").gauge().value()).isEqualTo(128);
        for (int i = 0; i < ListenQueueProbe.FULL_READ_EVERY; i++) {
            probe.sample();
        }
        assertThat(registry.get("readiness.listen.somaxconn").gauge().value()).isNaN();
        assertThat(registry.get("readiness.listen.backlog.effective").gauge().value()).isNaN();
    }

    private static ListenQueueProbe probe(Path root, Set<Integer> ports) {
        return ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root).ports(ports)
                .requestedBacklog(100).build()).warnings(w -> { }).build();
    }
}
