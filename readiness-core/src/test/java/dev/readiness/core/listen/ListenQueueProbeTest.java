package dev.readiness.core.listen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ListenQueueProbeTest {

    @TempDir
    Path tmp;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> warnings = new ArrayList<>();

    private ListenQueueProbe probe(ListenQueueSettings.Builder settings) {
        return ListenQueueProbe.builder(settings.build()).ticker(now::get).warnings(warnings::add).build();
    }

    @Test
    void readsEverySignalFromARecordedTreeOnConfiguredPorts() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080, 8443))
                .requestedBacklog(100));

        ListenQueueSample s = probe.sample();

        assertThat(s.unknown()).isEmpty();
        assertThat(s.somaxconn()).isEqualTo(128);
        assertThat(s.requestedBacklog()).isEqualTo(100);
        assertThat(s.effectiveBacklog()).isEqualTo(100);
        assertThat(s.totals()).isEqualTo(new TcpExtCounters(1523, 1530, 12, 3, 1));
        assertThat(s.overflowsDelta()).isZero(); // the first sample is the baseline
        assertThat(s.listeners()).extracting(ListenSocket::endpoint, ListenSocket::queueDepth)
                .containsExactly(tuple("0.0.0.0:8080", 129), tuple("[0:0:0:0:0:0:0:0]:8443", 5));
        assertThat(s.queueDepth(8080)).isEqualTo(129);
        assertThat(s.queueDepth(9999)).isEqualTo(-1);
        assertThat(s.queueFull()).isTrue();
        assertThat(probe.latest()).isSameAs(s);
        assertThat(warnings).isEmpty();
    }

    @Test
    void findsTheProcesssOwnListenersThroughItsFileDescriptors() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        // this process holds the :8080 and :8443 sockets; the sidecar on 127.0.0.1:15001 and sshd are not ours
        ProcTrees.fds(root, 31001, 31003, 32005);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root));

        assertThat(probe.sample().listeners()).extracting(ListenSocket::port).containsExactly(8080, 8443);
        assertThat(probe.sample().listeners()).extracting(ListenSocket::port).containsExactly(8080, 8443);
        assertThat(warnings).isEmpty();
    }

    @Test
    void seesAListenerOpenedInTheOtherTableWithinAFullReadPeriod() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ProcTrees.fds(root, 31001);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root));
        assertThat(probe.sample().listeners()).extracting(ListenSocket::port).containsExactly(8080);

        Files.writeString(root.resolve("net/tcp6"), Files.readString(root.resolve("net/tcp6"))
                + "   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000000 00:00000000 00000000  1000        0 31005 1 ffff88003a1b2c00 100 0 0 10 0\n");
        Files.createSymbolicLink(root.resolve("self/fd/100"), Path.of("socket:[31005]"));

        int samples = 0;
        List<Integer> ports;
        do {
            ports = probe.sample().listeners().stream().map(ListenSocket::port).toList();
            samples++;
        } while (ports.size() == 1 && samples <= ListenQueueProbe.FULL_READ_EVERY);
        assertThat(ports).containsExactly(8080, 8081);
        assertThat(samples).isEqualTo(ListenQueueProbe.FULL_READ_EVERY);
    }

    @Test
    void readsOnlyTheTableThatHoldsTheListenersUntilOneGoesMissing() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080)));
        probe.sample();

        Files.writeString(root.resolve("net/tcp6"), "garbage"); // not read while :8080 sits in tcp
        assertThat(probe.sample().unknown()).isEmpty();
        assertThat(warnings).isEmpty();

        Files.writeString(root.resolve("net/tcp"), Files.readString(root.resolve("net/tcp")).replace(":1F90 ", ":1F91 "));
        assertThat(probe.sample().listeners()).as(":8080 closed").isEmpty();
        ListenQueueSample next = probe.sample();
        assertThat(next.unknown()).as("both tables read again").singleElement().asString().contains("tcp6");
    }

    @Test
    void betweenFullReadsReadsOnlyTheListenSection() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        // a listener after the established rows, where no kernel puts one: only a full read can see it
        Files.writeString(root.resolve("net/tcp"), Files.readString(root.resolve("net/tcp"))
                + "  99: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 31099 1\n");
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080, 8081)));

        assertThat(probe.sample().listeners()).as("full read").extracting(ListenSocket::port).containsExactly(8080, 8081);
        ListenQueueSample narrowed = probe.sample();
        assertThat(narrowed.listeners()).extracting(ListenSocket::port).containsExactly(8080);
        assertThat(narrowed.queueDepth(8080)).isEqualTo(129);
        assertThat(probe.sample().listeners()).as("one went missing: full read again")
                .extracting(ListenSocket::port).containsExactly(8080, 8081);
    }

    @Test
    void reportsEveryListenerWhenFileDescriptorsCannotBeListed() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp); // no self/fd in the recording

        ListenQueueSample s = probe(ListenQueueSettings.builder().procRoot(root)).sample();

        assertThat(s.listeners()).extracting(ListenSocket::port).containsExactly(8080, 15001, 22, 8443);
        assertThat(s.unknown()).singleElement().asString().contains("self/fd").contains("readiness.listen.ports");
    }

    @Test
    void missingProcReportsUnknownOnceAndNeverThrows() {
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(tmp.resolve("no-such-proc"))
                .requestedBacklog(100));

        for (int i = 0; i < 5; i++) {
            ListenQueueSample s = assertDoesNotThrow(probe);
            assertThat(s.somaxconn()).isEqualTo(-1);
            assertThat(s.effectiveBacklog()).isEqualTo(-1);
            assertThat(s.totals()).isEqualTo(TcpExtCounters.NONE);
            assertThat(s.listeners()).isEmpty();
            assertThat(s.unknown()).hasSize(3);
        }
        // somaxconn, netstat and tcp: one line each, the first time only; a missing tcp6 (no IPv6) is no problem
        assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w).contains("unknown"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("somaxconn"))
                .anySatisfy(w -> assertThat(w).contains("netstat"))
                .anySatisfy(w -> assertThat(w).contains("net/tcp"));
    }

    @Test
    void filesOfAnUnexpectedShapeAreUnknownNotFatal() throws IOException {
        ProcTrees.write(tmp.resolve("sys/net/core/somaxconn"), "lots\n");
        ProcTrees.write(tmp.resolve("net/netstat"), "TcpExt: ListenOverflows\n"); // values line missing
        ProcTrees.write(tmp.resolve("net/tcp"), "sl local st\n0: 0100007F:1F90 0A\n"); // no inode, no rx_queue
        Files.createDirectories(tmp.resolve("net/tcp6")); // a directory where a file should be
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(tmp));

        ListenQueueSample s = assertDoesNotThrow(probe);
        assertDoesNotThrow(probe);

        assertThat(s.somaxconn()).isEqualTo(-1);
        assertThat(s.totals().overflowsKnown()).isFalse();
        assertThat(s.listeners()).isEmpty();
        assertThat(s.unknown()).hasSize(4);
        assertThat(warnings).hasSize(4);
    }

    @Test
    void countsOverflowsAsDeltasBetweenSamples() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080)));
        probe.sample();

        setCounters(root, 1530, 1540);
        ListenQueueSample s = probe.sample();

        assertThat(s.overflowsDelta()).isEqualTo(7);
        assertThat(s.dropsDelta()).isEqualTo(10);
        assertThat(s.totals().listenOverflows()).isEqualTo(1530);

        setCounters(root, 5, 5); // a counter that went back: a fresh baseline, never a negative delta
        assertThat(probe.sample().overflowsDelta()).isZero();
        setCounters(root, 8, 8);
        assertThat(probe.sample().overflowsDelta()).isEqualTo(3);
    }

    @Test
    void logsOverflowsAtMostOncePerLogIntervalAndSumsTheRest() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_3_10, tmp);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080))
                .requestedBacklog(100).logInterval(Duration.ofSeconds(60)));
        probe.sample();
        assertThat(warnings).isEmpty();

        setCounters(root, 1533, 1533);
        probe.sample();
        assertThat(warnings).singleElement().asString()
                .startsWith("accept queue overflow: 10 connections dropped")
                .contains("ListenOverflows +10", "0.0.0.0:8080=129",
                        "effective backlog 100 = min(requested 100, net.core.somaxconn 128)");

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        setCounters(root, 1540, 1540);
        probe.sample();
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        setCounters(root, 1545, 1545);
        probe.sample();
        assertThat(warnings).hasSize(1);

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        probe.sample();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).startsWith("accept queue overflow: 12 connections dropped")
                .contains("in the last 60s");

        now.addAndGet(Duration.ofMinutes(5).toNanos());
        probe.sample();
        assertThat(warnings).as("no overflow, no line").hasSize(2);
    }

    @Test
    void effectiveBacklogIsCappedBySomaxconnAndAdviceSaysSo() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_4_19, tmp); // somaxconn 128
        ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root)
                        .ports(Set.of(8080)).build())
                .requestedBacklog(() -> 1000).warnings(warnings::add).ticker(now::get).build();

        List<String> advice = probe.adviseOnBacklog();

        assertThat(probe.latest().effectiveBacklog()).isEqualTo(128);
        assertThat(advice).singleElement().asString().contains("requests 1000", "net.core.somaxconn is 128",
                "securityContext.sysctls");
        assertThat(warnings).isEqualTo(advice);
    }

    @Test
    void aServerThatCannotTellItsBacklogYetFallsBackToTheConfiguredOne() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_4_19, tmp);
        int[] server = {-1};
        ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root)
                .requestedBacklog(100).build()).requestedBacklog(() -> server[0]).warnings(warnings::add).build();
        assertThat(probe.sample().requestedBacklog()).as("no connector yet: the configured backlog").isEqualTo(100);
        server[0] = 511;
        assertThat(probe.sample().requestedBacklog()).as("the server's own, once it tells").isEqualTo(511);
        ListenQueueProbe unconfigured = ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root).build())
                .requestedBacklog(() -> -1).warnings(warnings::add).build();
        assertThat(unconfigured.sample().requestedBacklog()).isEqualTo(-1);
    }

    @Test
    void aFailingRequestedBacklogSupplierIsUnknownNotFatal() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_4_19, tmp);
        ListenQueueProbe probe = ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(root).build())
                .requestedBacklog(() -> {
                    throw new IllegalStateException("connector not started");
                }).warnings(warnings::add).build();

        ListenQueueSample s = assertDoesNotThrow(probe);
        assertDoesNotThrow(probe);

        assertThat(s.requestedBacklog()).isEqualTo(-1);
        assertThat(s.effectiveBacklog()).isEqualTo(-1);
        assertThat(s.somaxconn()).isEqualTo(128);
        assertThat(warnings).filteredOn(w -> w.contains("connector not started")).hasSize(1);
    }

    @Test
    void aThrowingSampleListenerDoesNotStopSampling() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_4_19, tmp);
        ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080)));
        List<ListenQueueSample> seen = new ArrayList<>();
        probe.addSampleListener(s -> {
            throw new IllegalStateException("boom");
        });
        probe.addSampleListener(seen::add);

        probe.sample();
        probe.sample();

        assertThat(seen).hasSize(2);
        assertThat(warnings).singleElement().asString().contains("boom");
    }

    @Test
    void startSamplesInTheBackgroundUntilClosed() throws IOException {
        Path root = ProcTrees.copy(ProcTrees.LINUX_4_19, tmp);
        List<ListenQueueSample> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ListenQueueProbe probe = probe(ListenQueueSettings.builder().procRoot(root).ports(Set.of(8080))
                .requestedBacklog(200).sampleInterval(Duration.ofMillis(20)))) {
            probe.addSampleListener(seen::add);
            probe.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 3);
            assertThat(probe.latest().queueDepth(8080)).isEqualTo(3);
            assertThatThrownBy(probe::start).isInstanceOf(IllegalStateException.class);
        }
        int afterClose = seen.size();
        assertThat(warnings).singleElement().asString().contains("requests 200", "somaxconn is 128");
        // no sample after close: the scheduler is gone (checked without sleeping on a fixed time)
        org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> seen.size() <= afterClose + 1);
    }

    private static ListenQueueSample assertDoesNotThrow(ListenQueueProbe probe) {
        ListenQueueSample[] s = new ListenQueueSample[1];
        assertThatCode(() -> s[0] = probe.sample()).doesNotThrowAnyException();
        return s[0];
    }

    private static void setCounters(Path root, long overflows, long drops) throws IOException {
        ProcTrees.write(root.resolve("net/netstat"), "TcpExt: SyncookiesSent ListenOverflows ListenDrops\n"
                + "TcpExt: 0 " + overflows + " " + drops + "\n");
    }
}
