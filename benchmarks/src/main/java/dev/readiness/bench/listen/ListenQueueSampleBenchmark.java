package dev.readiness.bench.listen;

import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.listen.ListenQueueSample;
import dev.readiness.core.listen.ListenQueueSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one listen-queue sample (somaxconn, /proc/net/netstat, /proc/net/tcp and tcp6, own-listener
 * matching) with many sockets open: {@code connections} loopback connections, each counted twice in
 * /proc/net/tcp (client and server side) and held as two file descriptors of this process.
 * <ul>
 *   <li>{@code sampleOwnListeners}: the default, listeners matched by inode; /proc/self/fd was scanned once and
 *       is scanned again only when a listener not seen before appears</li>
 *   <li>{@code sampleConfiguredPorts}: {@code readiness.listen.ports} set, no fd matching at all</li>
 *   <li>{@code firstSampleWithFdScan}: a new probe each time, so the /proc/self/fd scan is included (what a
 *       sample costs when a listener appears)</li>
 *   <li>{@code sampleSyntheticTree}: the same probe over regular files in a temp dir shaped like a /proc with
 *       {@code connections * 2} established rows and 4 listeners in both tables: the library's own cost (reads
 *       and parsing) without the kernel's cost of producing /proc/net/tcp, which walks the whole established
 *       hash table of the node on every read</li>
 * </ul>
 * Run: see src/docs/listen-queue.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListenQueueSampleBenchmark {

    @Param({"0", "100", "500"})
    public int connections;

    private final List<AutoCloseable> open = new ArrayList<>();
    private ListenQueueProbe own;
    private ListenQueueProbe ports;
    private ListenQueueSettings ownSettings;
    private ListenQueueProbe synthetic;
    private Path syntheticRoot;

    @Setup(Level.Trial)
    public void openSockets() throws IOException {
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            throw new IllegalStateException("this benchmark needs Linux /proc");
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(loopback, 0), 1024);
        open.add(server);
        for (int i = 0; i < connections; i++) {
            Socket client = new Socket(loopback, server.getLocalPort());
            open.add(client);
            open.add(server.accept());
        }
        ownSettings = ListenQueueSettings.builder().requestedBacklog(1024).minBacklog(0).build();
        own = ListenQueueProbe.builder(ownSettings).warnings(w -> { }).build();
        own.sample();
        ports = ListenQueueProbe.builder(ListenQueueSettings.builder().requestedBacklog(1024).minBacklog(0)
                .ports(Set.of(server.getLocalPort())).build()).warnings(w -> { }).build();
        syntheticRoot = SyntheticProc.write(Files.createTempDirectory("listen-bench"), connections);
        synthetic = ListenQueueProbe.builder(ListenQueueSettings.builder().procRoot(syntheticRoot)
                .ports(Set.of(8080, 8443)).requestedBacklog(1024).minBacklog(0).build()).warnings(w -> { }).build();
        if (synthetic.sample().listeners().size() != 4) {
            throw new IllegalStateException("synthetic tree not read: " + synthetic.latest());
        }
        ListenQueueSample s = own.sample();
        if (s.queueDepth(server.getLocalPort()) < 0 || !s.unknown().isEmpty()) {
            throw new IllegalStateException("probe does not see the benchmark's listener: " + s);
        }
    }

    @TearDown(Level.Trial)
    public void closeSockets() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        open.clear();
        SyntheticProc.delete(syntheticRoot);
    }

    @Benchmark
    public ListenQueueSample sampleOwnListeners() {
        return own.sample();
    }

    @Benchmark
    public ListenQueueSample sampleConfiguredPorts() {
        return ports.sample();
    }

    @Benchmark
    public ListenQueueSample sampleSyntheticTree() {
        return synthetic.sample();
    }

    @Benchmark
    public ListenQueueSample firstSampleWithFdScan() {
        return ListenQueueProbe.builder(ownSettings).warnings(w -> { }).build().sample();
    }

    /** Runs this benchmark alone; extra arguments are passed to JMH's command line. */
    public static void main(String[] args) throws RunnerException {
        try {
            new Runner(new OptionsBuilder().include(ListenQueueSampleBenchmark.class.getSimpleName()).build()).run();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e);
        }
    }
}
