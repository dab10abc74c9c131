package dev.readiness.core.listen;

import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Watches the accept queues of the service's own listening sockets from inside the pod: reads
 * {@code net.core.somaxconn}, the TcpExt counters {@code ListenOverflows}, {@code ListenDrops} and the
 * SYN-cookie counters of {@code /proc/net/netstat}, and the LISTEN rows of {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}. All of them belong to the pod's own network namespace, which node_exporter does
 * not see.
 * <p>
 * {@link #sample()} reads once; {@link #start()} samples every {@link ListenQueueSettings#sampleInterval()} on a
 * daemon thread, and {@link #latest()} returns the last sample (meters and checks read it). When overflows
 * happen the probe logs one warning line per {@link ListenQueueSettings#logInterval()}, summing the
 * overflows in between.
 * <p>
 * Where {@code /proc} is missing or has a shape the probe does not know (not Linux, gVisor, another kernel's
 * format), the affected numbers are -1, the reason is logged once per kind of problem, and nothing throws.
 * Thread-safe.
 */
public final class ListenQueueProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenQueueProbe.class);
    /** Samples between two reads of both tcp tables once the watched listeners were found in one of them. */
    static final int FULL_READ_EVERY = 12;
    /** Bytes asked for per read of a LISTEN section: about 7 rows. */
    private static final int SECTION_READ = 1024;

    private final ListenQueueSettings settings;
    private final IntSupplier requestedBacklog;
    private final Ticker ticker;
    private final Consumer<String> warnings;
    private final Path somaxconnFile;
    private final Path netstatFile;
    private final Path tcpFile;
    private final Path tcp6File;
    private final Path fdDir;
    private final List<Consumer<ListenQueueSample>> sampleListeners = new CopyOnWriteArrayList<>();

    // guarded by this
    private final Set<String> reported = new HashSet<>();
    private final Set<Long> ownInodes = new HashSet<>();
    private final Set<Long> foreignInodes = new HashSet<>();
    private byte[] buffer = new byte[64 * 1024];
    private boolean narrowed;
    private boolean readV4;
    private boolean readV6;
    private int samplesSinceFullRead;
    private int listenersAtFullRead;
    private int somaxconn = -1;
    private TcpExtCounters previous = TcpExtCounters.NONE;
    private long pendingOverflows;
    private long pendingDrops;
    private long lastLogNanos;
    private boolean logged;
    private ScheduledExecutorService scheduler;

    private volatile ListenQueueSample latest;

    private ListenQueueProbe(Builder b) {
        this.settings = b.settings;
        this.requestedBacklog = b.requestedBacklog;
        this.ticker = b.ticker;
        this.warnings = b.warnings;
        Path root = settings.procRoot();
        this.somaxconnFile = root.resolve("sys/net/core/somaxconn");
        this.netstatFile = root.resolve("net/netstat");
        this.tcpFile = root.resolve("net/tcp");
        this.tcp6File = root.resolve("net/tcp6");
        this.fdDir = root.resolve("self/fd");
        this.latest = new ListenQueueSample(ticker.nanoTime(), -1, -1, -1, TcpExtCounters.NONE, 0, 0, List.of(),
                List.of("not sampled yet"));
    }

    /** A probe with these settings, the system ticker, and warnings to SLF4J. */
    public static ListenQueueProbe create(ListenQueueSettings settings) {
        return builder(settings).build();
    }

    public static Builder builder(ListenQueueSettings settings) {
        return new Builder(settings);
    }

    public ListenQueueSettings settings() {
        return settings;
    }

    /** The last sample; before the first one, a sample whose numbers are all -1. */
    public ListenQueueSample latest() {
        return latest;
    }

    /** Calls {@code listener} with every new sample, on the sampling thread. It must be quick and not throw. */
    public void addSampleListener(Consumer<ListenQueueSample> listener) {
        sampleListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Takes a sample now. Never throws; what could not be read is -1 in the sample and named in
     * {@link ListenQueueSample#unknown()}.
     */
    public synchronized ListenQueueSample sample() {
        ListenQueueSample s;
        try {
            s = read();
        } catch (RuntimeException e) {
            // a bug of ours must not take the service down with it; say so once
            reportOnce("internal", "listen-queue probe failed to read /proc: " + e);
            s = new ListenQueueSample(ticker.nanoTime(), -1, -1, -1, TcpExtCounters.NONE, 0, 0, List.of(),
                    List.of("probe failed: " + e));
        }
        latest = s;
        for (Consumer<ListenQueueSample> l : sampleListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                reportOnce("listener:" + l.getClass().getName(), "listen-queue sample listener failed: " + e);
            }
        }
        return s;
    }

    /**
     * Samples once and returns the operator warnings about the backlog (capped by somaxconn, the JDK default of
     * 50 in force, below {@link ListenQueueSettings#minBacklog()}), logging each. Call it once the server
     * listens.
     */
    public synchronized List<String> adviseOnBacklog() {
        ListenQueueSample s = sample();
        int requested = requested();
        List<String> advice = BacklogAdvice.advise(requested, s.somaxconn(), settings.minBacklog());
        advice.forEach(warnings);
        return advice;
    }

    /**
     * Warns about the backlog ({@link #adviseOnBacklog()}) and samples every
     * {@link ListenQueueSettings#sampleInterval()} on a daemon thread until {@link #close()}.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized ListenQueueProbe start() {
        if (scheduler != null) {
            throw new IllegalStateException("listen-queue probe already started");
        }
        adviseOnBacklog();
        scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("readiness-listen-queue"));
        long every = settings.sampleInterval().toNanos();
        scheduler.scheduleWithFixedDelay(this::sample, every, every, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Stops sampling. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private int requested() {
        if (requestedBacklog != null) {
            try {
                int v = requestedBacklog.getAsInt();
                return v < 0 ? settings.requestedBacklog().orElse(-1) : v;
            } catch (RuntimeException e) {
                reportOnce("requested", "reading the server's requested backlog failed: " + e);
                return -1;
            }
        }
        return settings.requestedBacklog().orElse(-1);
    }

    private ListenQueueSample read() {
        long now = ticker.nanoTime();
        List<String> unknown = new ArrayList<>(2);

        boolean full = !narrowed || ++samplesSinceFullRead >= FULL_READ_EVERY;
        // somaxconn applies when listen() is called, so it changes nothing for a socket already listening:
        // reading it at full reads is enough, and it costs as much as the netstat read
        if (full || somaxconn < 0) {
            somaxconn = readSomaxconn(unknown);
        }
        TcpExtCounters totals = readCounters(unknown);
        List<ListenSocket> listeners = readListeners(full, unknown);

        long overflows = delta(previous.listenOverflows(), totals.listenOverflows());
        long drops = delta(previous.listenDrops(), totals.listenDrops());
        if (totals.overflowsKnown()) {
            previous = totals;
        }
        int requested = requested();
        int effective = BacklogAdvice.effective(requested, somaxconn);
        ListenQueueSample s = new ListenQueueSample(now, somaxconn, requested < 0 ? -1 : BacklogAdvice.normalize(requested),
                effective, totals, overflows, drops, listeners, unknown);
        logOverflows(s);
        return s;
    }

    private int readSomaxconn(List<String> unknown) {
        try {
            int len = readFile(somaxconnFile);
            long v = NetstatParser.decimal(new String(buffer, 0, len, StandardCharsets.ISO_8859_1).trim());
            if (v < 0 || v > Integer.MAX_VALUE) {
                return unknown(unknown, "somaxconn", somaxconnFile + " does not hold a number");
            }
            return (int) v;
        } catch (IOException e) {
            return unknown(unknown, "somaxconn", "cannot read " + somaxconnFile + ": " + describe(e));
        }
    }

    private TcpExtCounters readCounters(List<String> unknown) {
        try {
            int len = readFile(netstatFile);
            TcpExtCounters c = NetstatParser.parse(new String(buffer, 0, len, StandardCharsets.ISO_8859_1));
            if (!c.overflowsKnown()) {
                unknown(unknown, "netstat", netstatFile + " has no readable TcpExt ListenOverflows/ListenDrops");
            }
            return c;
        } catch (IOException e) {
            unknown(unknown, "netstat", "cannot read " + netstatFile + ": " + describe(e));
            return TcpExtCounters.NONE;
        }
    }

    private List<ListenSocket> readListeners(boolean full, List<String> unknown) {
        // Reading a tcp table costs the kernel a walk of the whole established hash (sized by the node's memory,
        // shared by all namespaces), whatever the number of sockets. Between full reads (every FULL_READ_EVERY
        // samples, or after a listener went missing) read only the table(s) that held the watched listeners,
        // and only their LISTEN section.
        List<ListenSocket> all = new ArrayList<>();
        boolean v4 = (full || readV4) && readTable(tcpFile, false, all, unknown, true, full);
        // a kernel without IPv6 has no tcp6; that is not a problem worth a line
        boolean v6 = (full || readV6) && readTable(tcp6File, true, all, unknown, false, full);
        if (!v4 && !v6) {
            narrowed = false;
            return List.of();
        }
        List<ListenSocket> mine;
        if (!settings.ports().isEmpty()) {
            all.removeIf(s -> !settings.ports().contains(s.port()));
            mine = all;
        } else {
            mine = own(all, unknown);
        }
        if (full) {
            readV4 = false;
            readV6 = false;
            for (ListenSocket s : mine) {
                readV4 |= !s.ipv6();
                readV6 |= s.ipv6();
            }
            narrowed = readV4 || readV6;
            samplesSinceFullRead = 0;
            listenersAtFullRead = mine.size();
        } else if (mine.size() < listenersAtFullRead) {
            narrowed = false; // one closed or moved: look everywhere next time
        }
        return mine;
    }

    private boolean readTable(Path file, boolean ipv6, List<ListenSocket> into, List<String> unknown,
                              boolean required, boolean whole) {
        int len;
        try {
            len = whole ? readFile(file) : readListenSection(file);
        } catch (IOException e) {
            if (required || !(e instanceof NoSuchFileException)) {
                unknown(unknown, file.getFileName().toString(), "cannot read " + file + ": " + describe(e));
            }
            return false;
        }
        int skipped = TcpTableParser.parse(buffer, len, ipv6, into::add);
        if (skipped == TcpTableParser.UNREADABLE) {
            unknown(unknown, file.getFileName().toString(), file + " does not have the header"
                    + " (local_address, st, rx_queue, inode) of the Linux format");
            return false;
        }
        if (skipped > 0) {
            reportOnce(file + ":rows", "listen-queue probe skipped " + skipped + " unreadable rows of " + file);
        }
        return true;
    }

    /** The listeners whose inode is one of this process's file descriptors. */
    private List<ListenSocket> own(List<ListenSocket> all, List<String> unknown) {
        boolean fresh = false;
        for (ListenSocket s : all) {
            if (!ownInodes.contains(s.inode()) && !foreignInodes.contains(s.inode())) {
                fresh = true;
                break;
            }
        }
        if (fresh && !scanFds()) {
            unknown(unknown, "fd", "cannot list " + fdDir + " to tell this process's listeners from others;"
                    + " reporting every listener in the network namespace (set readiness.listen.ports)");
            return all;
        }
        List<ListenSocket> mine = new ArrayList<>(all.size());
        for (ListenSocket s : all) {
            if (ownInodes.contains(s.inode())) {
                mine.add(s);
            } else {
                foreignInodes.add(s.inode());
            }
        }
        return mine;
    }

    /** Re-reads which socket inodes this process holds; only when a listener not seen before shows up. */
    private boolean scanFds() {
        Set<Long> found = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                long inode = socketInode(fd);
                if (inode >= 0) {
                    found.add(inode);
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        ownInodes.clear();
        ownInodes.addAll(found);
        foreignInodes.clear();
        return true;
    }

    private static long socketInode(Path fd) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // closed meanwhile, or not a link
        }
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return -1;
        }
        return NetstatParser.decimal(target.substring(8, target.length() - 1));
    }

    private void logOverflows(ListenQueueSample s) {
        pendingOverflows += s.overflowsDelta();
        pendingDrops += s.dropsDelta();
        if (pendingOverflows <= 0) {
            return;
        }
        long now = s.nanoTime();
        if (logged && now - lastLogNanos < settings.logInterval().toNanos()) {
            return;
        }
        StringBuilder b = new StringBuilder("accept queue overflow: ").append(pendingOverflows)
                .append(" connections dropped without an error to the client (TcpExt ListenOverflows +")
                .append(pendingOverflows).append(", ListenDrops +").append(pendingDrops).append(")");
        if (logged) {
            b.append(" in the last ").append(Math.max(1, (now - lastLogNanos) / 1_000_000_000L)).append("s");
        }
        b.append("; queue depth");
        if (s.listeners().isEmpty()) {
            b.append(" unknown");
        }
        for (ListenSocket l : s.listeners()) {
            b.append(' ').append(l.endpoint()).append('=').append(l.queueDepth());
        }
        b.append("; effective backlog ").append(s.effectiveBacklog() < 0 ? "unknown" : s.effectiveBacklog())
                .append(" = min(requested ").append(s.requestedBacklog() < 0 ? "unknown" : s.requestedBacklog())
                .append(", net.core.somaxconn ").append(s.somaxconn() < 0 ? "unknown" : s.somaxconn())
                .append("). The counters cover the whole pod network namespace. Fix: accept faster or add replicas;"
                        + " raise the backlog and net.core.somaxconn to absorb bursts");
        warnings.accept(b.toString());
        logged = true;
        lastLogNanos = now;
        pendingOverflows = 0;
        pendingDrops = 0;
    }

    private static long delta(long before, long now) {
        if (before < 0 || now < 0) {
            return 0;
        }
        // counters only grow; a smaller value means a new namespace or a wrapped counter: start over from it
        return Math.max(0, now - before);
    }

    private int unknown(List<String> unknown, String kind, String reason) {
        unknown.add(reason);
        reportOnce(kind, "listen-queue probe: " + reason + "; reported as unknown");
        return -1;
    }

    private void reportOnce(String kind, String message) {
        if (reported.add(kind)) {
            warnings.accept(message);
        }
    }

    private int readFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int len = 0;
            while (true) {
                if (len == buffer.length) {
                    if (buffer.length >= 64 * 1024 * 1024) {
                        throw new IOException("larger than 64 MiB");
                    }
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                int n = in.read(buffer, len, buffer.length - len);
                if (n < 0) {
                    return len;
                }
                len += n;
            }
        }
    }

    /**
     * Reads a tcp table only up to the end of its LISTEN section, in small reads: the kernel formats about as
     * many rows as each read asks for, so it stops walking its established hash soon after the first
     * connection of this namespace instead of walking all of it.
     */
    private int readListenSection(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int len = 0;
            int scan = 0;
            while (true) {
                if (buffer.length - len < SECTION_READ) {
                    if (buffer.length >= 64 * 1024 * 1024) {
                        throw new IOException("larger than 64 MiB");
                    }
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
                int n = in.read(buffer, len, SECTION_READ);
                if (n < 0) {
                    return len;
                }
                len += n;
                int end = scan < 0 ? scan : TcpTableParser.listenSectionEnd(buffer, len, scan);
                if (end >= 0) {
                    return end;
                }
                // an unknown shape is read whole, so that the parser reports it
                scan = end == TcpTableParser.NOT_A_TABLE ? end : -end - 1;
            }
        }
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e instanceof NoSuchFileException ? "no such file" : e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    /** Builds a {@link ListenQueueProbe}. */
    public static final class Builder {
        private final ListenQueueSettings settings;
        private IntSupplier requestedBacklog;
        private Ticker ticker = Ticker.system();
        private Consumer<String> warnings = LOG::warn;

        private Builder(ListenQueueSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /**
         * Where the server's requested backlog comes from (Tomcat acceptCount, Jetty acceptQueueSize); takes
         * precedence over {@link ListenQueueSettings#requestedBacklog()}. A negative value means the server cannot
         * tell yet: then the configured backlog counts, or unknown without one.
         */
        public Builder requestedBacklog(IntSupplier requestedBacklog) {
            this.requestedBacklog = Objects.requireNonNull(requestedBacklog, "requestedBacklog");
            return this;
        }

        /** The time source of the rate-limited log; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where warnings go; default the SLF4J logger {@code dev.readiness.core.listen.ListenQueueProbe}. */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        public ListenQueueProbe build() {
            return new ListenQueueProbe(this);
        }
    }
}
