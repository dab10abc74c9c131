package dev.readiness.core.reload;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;
import dev.readiness.core.thread.DaemonThreads;
import dev.readiness.core.time.Ticker;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reloads configuration from a directory the kubelet updates with its atomic symlink swap (a ConfigMap,
 * Secret or projected volume), or from a plain directory.
 * <pre>
 * ConfigMapWatcher watcher = ConfigMapWatcher.builder()
 *         .directory(Path.of("/etc/app"))
 *         .validator(c -&gt; {
 *             if (c.get("pool.size").isEmpty()) {
 *                 throw new IllegalArgumentException("pool.size is required");
 *             }
 *         })
 *         .listener(change -&gt; pool.resize(change.current().get("pool.size").orElseThrow()))
 *         .build()
 *         .start();
 * String size = watcher.current().values().get("pool.size");
 * </pre>
 * <b>What it watches.</b> The directory, never its files: the user-visible files are links through
 * {@code ..data} that never change, and a watch on {@code ..data} itself follows the link into a generation
 * directory that the kubelet deletes at the next update. An event for {@code ..data} (created by the rename, or
 * reported as modified by polling watch services) triggers a reload at once, since the swap is the kubelet's
 * last step that matters and its generation is complete; changes of a plain directory are gathered for a short
 * debounce first, as an editor's save arrives in several batches; an overflow triggers a rescan; a check of
 * where {@code ..data} points every poll interval catches what events missed (volume drivers that emit none). A directory without {@code ..data} is watched file by file.
 * <p>
 * <b>How it reloads.</b> Reads one whole generation ({@link ConfigSnapshot}), parses it, builds every
 * {@link ReloadableMapping}, runs every {@link ConfigValidator}, and only then swaps the snapshot in with one
 * atomic write; listeners run after the swap. Any failure keeps the last good snapshot, is logged with its
 * reason (never a secret value) and counted; see {@link #lastOutcome()}.
 * <p>
 * Thread-safe. Reloads run one at a time, on the watcher's daemon thread or the caller of
 * {@link #reloadNow()}.
 */
public final class ConfigMapWatcher implements AutoCloseable {

    /** Default time between two checks of where {@code ..data} points: 1 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default time the events of a plain directory are gathered after the first before reloading: 10 ms. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(10);
    static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);
    static final Duration MAX_POLL_INTERVAL = Duration.ofHours(1);
    static final Duration MAX_DEBOUNCE = Duration.ofSeconds(10);

    private static final String P = "readiness.config.";
    /** {@code readiness.config.dir}. */
    public static final Key<Path> DIR = Key.of(P + "dir", Syntax.PATH).unsetMeans("no reload")
            .allowed("must be set to the directory the ConfigMap volume is mounted at (not a file in it, not a"
                    + " subPath)", d -> true)
            .means("The directory the ConfigMap volume is mounted at.");
    /** {@code readiness.config.poll-interval}. */
    public static final Key<Duration> POLL_INTERVAL = Key.duration(P + "poll-interval")
            .defaultsTo(DEFAULT_POLL_INTERVAL).between(MIN_POLL_INTERVAL, MAX_POLL_INTERVAL)
            .means("Time between two checks of where ..data points.");
    /** {@code readiness.config.debounce}. */
    public static final Key<Duration> DEBOUNCE = Key.duration(P + "debounce").defaultsTo(DEFAULT_DEBOUNCE)
            .between(Duration.ZERO, MAX_DEBOUNCE)
            .means("Time the events of a plain directory are gathered after the first before reloading; shorter"
                    + " than the poll interval. A kubelet's ..data swap is applied at once.");
    /** {@code readiness.config.file-events}. */
    public static final Key<Boolean> FILE_EVENTS = Key.flag(P + "file-events").defaultsTo(true)
            .means("Whether to use file system change events; without them the periodic check finds every"
                    + " change.");

    /**
     * The keys of {@code readiness.config.*}; {@link Keys#read} gives a checked builder, to which the caller adds
     * validators, listeners and mappings before building.
     */
    public static final Keys<Builder, Builder> KEYS = Keys.of("ConfigMap reload", "readiness.config",
                    ConfigMapWatcher::builder, Builder::checked)
            .key(DIR, Builder::directory)
            .key(POLL_INTERVAL, Builder::pollInterval)
            .key(DEBOUNCE, Builder::debounce)
            .key(FILE_EVENTS, Builder::fileEvents);

    private static final Logger log = LoggerFactory.getLogger(ConfigMapWatcher.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final Path dir;
    private final Duration pollInterval;
    private final Duration debounce;
    private final boolean fileEvents;
    private final List<ConfigValidator> validators;
    private final List<ConfigChangeListener> listeners;
    private final List<ReloadableMapping<?>> mappings;
    private final Clock clock;
    private final Ticker ticker;
    private final SnapshotReader reader;
    private final Supplier<List<String>> mountInfo;
    private final Map<String, String> environment;

    private final AtomicReference<ConfigSnapshot> current;
    private final Object reloadLock = new Object();
    private final Map<ReloadResult, AtomicLong> reloads = new EnumMap<>(ReloadResult.class);
    private final AtomicLong listenerFailures = new AtomicLong();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile ReloadOutcome lastOutcome;
    private volatile Instant lastSuccess;
    // fingerprint of the directory when it was last read; the periodic check reloads when it differs
    private volatile String lastSeen;

    // guarded by this
    private boolean started;
    private boolean closed;
    private Thread thread;
    private WatchService watchService;

    private ConfigMapWatcher(Builder b) {
        this.dir = b.directory.toAbsolutePath().normalize();
        this.pollInterval = b.pollInterval;
        this.debounce = b.debounce;
        this.fileEvents = b.fileEvents;
        this.validators = List.copyOf(b.validators);
        this.listeners = List.copyOf(b.listeners);
        this.mappings = List.copyOf(b.mappings);
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.reader = new SnapshotReader(dir, b.formats);
        this.mountInfo = b.mountInfo;
        this.environment = b.environment;
        for (ReloadResult r : ReloadResult.values()) {
            reloads.put(r, new AtomicLong());
        }
        this.current = new AtomicReference<>(ConfigSnapshot.empty(dir, clock.instant()));
        for (ReloadableMapping<?> m : mappings) {
            m.bind(this);
        }
    }

    /**
     * A builder with the settings {@code source} gives for {@code readiness.config.*}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static Builder builder(SettingsSource source) {
        return KEYS.read(source);
    }

    /** A builder; {@link Builder#directory(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the configuration, warns about mounts that never update, and starts watching on a daemon thread.
     *
     * @return this
     * @throws ReadinessConfigException when the directory is missing or its configuration cannot be loaded or
     *                                  is rejected: there is no last good configuration to keep at start
     * @throws IllegalStateException    when started twice or after {@link #close()}
     */
    public ConfigMapWatcher start() {
        synchronized (this) {
            if (started || closed) {
                throw new IllegalStateException("ConfigMapWatcher for " + dir + " was already "
                        + (closed ? "closed" : "started"));
            }
            started = true;
        }
        for (String w : mountWarnings()) {
            log.warn("readiness.config.dir: {}", w);
        }
        // watch before the first read: a swap between the two is then an event, never lost
        WatchKey key = null;
        if (fileEvents && Files.isDirectory(dir)) {
            WatchService ws = null;
            try {
                ws = dir.getFileSystem().newWatchService();
                key = register(ws);
                synchronized (this) {
                    watchService = ws;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // some volume drivers (FUSE, network file systems) cannot be watched: the periodic check remains
                log.warn("no file events for {} ({}); relying on the check every {}", dir, e, pollInterval);
                closeQuietly(ws);
            }
        }
        ReloadOutcome first = reloadNow();
        if (first.result().failed()) {
            close();
            throw new ReadinessConfigException("cannot load the configuration in " + dir + " (readiness.config.dir)"
                    + " at start: " + first.reason(), null);
        }
        log.info("watching {} for configuration changes ({}, poll interval {}, debounce {})", dir,
                first.snapshot().source().equals(dir) ? "plain directory, file by file"
                        : "kubelet-managed, through ..data", pollInterval, debounce);
        synchronized (this) {
            if (closed) {
                return this;
            }
            WatchKey initial = key;
            thread = DaemonThreads.start("readiness-config-watch", () -> loop(initial));
        }
        return this;
    }

    /** The configuration in force: an immutable snapshot of one generation. Never null; generation 0 before start. */
    public ConfigSnapshot current() {
        return current.get();
    }

    /** The watched directory, absolute. */
    public Path directory() {
        return dir;
    }

    /** Time between two checks of where {@code ..data} points. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Time the events of a plain directory are gathered before reloading. */
    public Duration debounce() {
        return debounce;
    }

    /** Whether file system change events are used. */
    public boolean fileEvents() {
        return fileEvents;
    }

    /**
     * Reads the directory and applies it now, on the calling thread, as an event would.
     *
     * @return how it ended; a failure keeps the last good configuration
     */
    public ReloadOutcome reloadNow() {
        synchronized (reloadLock) {
            return reload();
        }
    }

    /** The last reload's outcome, if any ran. */
    public Optional<ReloadOutcome> lastOutcome() {
        return Optional.ofNullable(lastOutcome);
    }

    /** When the last successful reload (or the load at start) swapped a snapshot in. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** How many reloads ended with {@code result}, the load at start included. */
    public long reloads(ReloadResult result) {
        return reloads.get(result).get();
    }

    /** How many times a listener threw. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** A MicroProfile ConfigSource that answers every lookup from {@link #current()}; ordinal 250. */
    public ConfigSource configSource() {
        return new ConfigMapConfigSource(this, ConfigMapConfigSource.DEFAULT_ORDINAL);
    }

    /** A MicroProfile ConfigSource that answers every lookup from {@link #current()}. */
    public ConfigSource configSource(int ordinal) {
        return new ConfigMapConfigSource(this, ordinal);
    }

    /** Stops watching. The last snapshot stays readable. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            stop.countDown();
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException e) {
                    log.debug("closing the watch service of {}", dir, e);
                }
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> mountWarnings() {
        boolean hasData = Files.exists(dir.resolve(SnapshotReader.DATA), LinkOption.NOFOLLOW_LINKS);
        List<String> lines;
        try {
            lines = mountInfo.get();
        } catch (RuntimeException e) {
            lines = List.of();
        }
        return MountCheck.warnings(dir, hasData, lines, environment);
    }

    SnapshotReader reader() {
        return reader;
    }

    // ---------------------------------------------------------------- reload

    private ReloadOutcome reload() {
        Instant now = clock.instant();
        ConfigSnapshot prev = current.get();
        String fingerprint = reader.fingerprint();
        SnapshotReader.Generation g;
        try {
            g = reader.read();
        } catch (ReadFailure f) {
            lastSeen = fingerprint; // retried on the next change, not on every check
            return failed(f.result(), f.getMessage(), prev, now);
        }
        lastSeen = g.dataTarget() != null ? SnapshotReader.DATA + "->" + g.dataTarget() : fingerprint;
        for (String w : g.warnings()) {
            log.warn("config {}: {}", dir, w);
        }
        if (prev.generation() > 0 && g.values().equals(prev.values())) {
            log.debug("config {}: {} read, no value changed", dir, g.source().getFileName());
            return record(new ReloadOutcome(ReloadResult.UNCHANGED, prev, null, null, now));
        }
        Map<Object, Object> built = new IdentityHashMap<>();
        for (ReloadableMapping<?> m : mappings) {
            try {
                built.put(m, m.build(g.values()));
            } catch (RuntimeException | LinkageError e) {
                return failed(ReloadResult.INVALID, "mapping " + m.type().getName() + " rejects it: "
                        + Redaction.scrub(e.getMessage(), g.values()), prev, now);
            }
        }
        ConfigSnapshot candidate = new ConfigSnapshot(prev.generation() + 1, g.values(), g.source(), now, built);
        for (ConfigValidator v : validators) {
            try {
                v.validate(candidate);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an assertion or a linkage error in a validator rejects, never kills the watcher
                return failed(ReloadResult.INVALID, "rejected by validator: " + Redaction.scrub(
                        String.valueOf(e.getMessage()), g.values()), prev, now);
            }
        }
        current.set(candidate);
        lastSuccess = now;
        ConfigChange change = ConfigChange.between(prev, candidate);
        log.info("config {} generation {} from {}: {}", dir, candidate.generation(), g.source().getFileName(),
                Redaction.describe(change, false));
        if (log.isDebugEnabled()) {
            log.debug("config {} generation {} values: {}", dir, candidate.generation(),
                    Redaction.describe(change, true));
        }
        ReloadOutcome outcome = record(new ReloadOutcome(ReloadResult.SUCCESS, candidate, change, null, now));
        for (ConfigChangeListener l : listeners) {
            try {
                l.onChange(change);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                listenerFailures.incrementAndGet();
                log.error("config {} generation {}: listener {} failed; the new configuration stays and the other"
                        + " listeners still run", dir, candidate.generation(), l, e);
            }
        }
        return outcome;
    }

    private ReloadOutcome failed(ReloadResult result, String reason, ConfigSnapshot kept, Instant now) {
        log.warn("config {} reload {}: {}; keeping generation {}", dir, result.tag(), reason, kept.generation());
        return record(new ReloadOutcome(result, kept, null, reason, now));
    }

    private ReloadOutcome record(ReloadOutcome o) {
        reloads.get(o.result()).incrementAndGet();
        lastOutcome = o;
        return o;
    }

    // ---------------------------------------------------------------- watch loop

    private void closeQuietly(WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                log.debug("closing the watch service of {}", dir, e);
            }
        }
    }

    private WatchKey register(WatchService ws) throws IOException {
        return dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void loop(WatchKey initialKey) {
        long pollNanos = pollInterval.toNanos();
        long nextCheck = ticker.nanoTime() + pollNanos;
        WatchKey key = initialKey;
        boolean watching;
        synchronized (this) {
            watching = watchService != null;
        }
        while (stop.getCount() > 0) {
            try {
                if (watching && (key == null || !key.isValid())) {
                    if (key != null) {
                        // deleted, unmounted or replaced: say so once, keep the last good configuration
                        key = null;
                        reloadNow();
                    }
                    if (!Files.isDirectory(dir)) {
                        if (stop.await(pollNanos, TimeUnit.NANOSECONDS)) {
                            return;
                        }
                        continue;
                    }
                    key = register(watchService);
                    if (!reader.fingerprint().equals(lastSeen)) {
                        reloadNow(); // changed while nothing watched it (at start, or while it was gone)
                    }
                }
                long wait = Math.max(0, nextCheck - ticker.nanoTime());
                WatchKey k;
                if (watching) {
                    k = watchService.poll(wait, TimeUnit.NANOSECONDS);
                } else {
                    k = null;
                    if (stop.await(wait, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                }
                if (k != null) {
                    Relevance r = drain(k);
                    if (r != Relevance.NONE) {
                        if (r != Relevance.SWAP) {
                            // file-by-file changes (an editor's save, a copy) arrive in several batches; a ..data
                            // swap is the kubelet's last step that matters: its generation is complete
                            r = r.max(gatherFor(debounce));
                        }
                        // a generation never changes once ..data points at it: the same link is the same content
                        if (r == Relevance.OVERFLOW || !sameGeneration()) {
                            reloadNow();
                        }
                    }
                }
                if (ticker.nanoTime() - nextCheck >= 0) {
                    nextCheck = ticker.nanoTime() + pollNanos;
                    if (!reader.fingerprint().equals(lastSeen)) {
                        log.debug("config {}: the periodic check found a change that no event reported", dir);
                        reloadNow();
                    }
                }
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // the watcher outlives any one failure: the last good configuration stays, the next check retries
                log.warn("config {}: watching failed ({}); retrying in {}", dir, e.toString(), pollInterval);
                key = null;
                try {
                    if (stop.await(pollNanos, TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean sameGeneration() {
        String seen = lastSeen;
        return seen != null && seen.startsWith(SnapshotReader.DATA + "->") && seen.equals(reader.fingerprint());
    }

    /** What a batch of events means for the configuration. */
    enum Relevance {
        NONE, CHANGE, SWAP, OVERFLOW;

        Relevance max(Relevance o) {
            return o.ordinal() > ordinal() ? o : this;
        }
    }

    /** Lets the rest of a burst arrive (a swap is several events, an editor's save several more). */
    private Relevance gatherFor(Duration window) throws InterruptedException {
        Relevance r = Relevance.NONE;
        long deadline = ticker.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - ticker.nanoTime()) > 0) {
            WatchKey more = watchService.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
                break;
            }
            r = r.max(drain(more));
        }
        return r;
    }

    /** Consumes a key's events and says whether one of them can change the configuration. */
    private Relevance drain(WatchKey k) {
        Relevance r = classify(k.pollEvents(),
                () -> Files.exists(dir.resolve(SnapshotReader.DATA), LinkOption.NOFOLLOW_LINKS));
        k.reset();
        return r;
    }

    /**
     * What a batch of events means: an overflow (events were lost: rescan), a {@code ..data} swap, a change of
     * a plain directory, or nothing (in a kubelet volume every other entry is a step towards the swap).
     *
     * @param kubelet asked at most once, and only when a name other than {@code ..data} must be judged
     */
    static Relevance classify(List<WatchEvent<?>> events, java.util.function.BooleanSupplier kubelet) {
        Relevance relevant = Relevance.NONE;
        Boolean managed = null;
        for (WatchEvent<?> e : events) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = Relevance.OVERFLOW;
                continue;
            }
            String name = String.valueOf(e.context());
            if (name.equals(SnapshotReader.DATA)) {
                relevant = relevant.max(Relevance.SWAP);
            } else if (relevant == Relevance.NONE) {
                if (managed == null) {
                    managed = kubelet.getAsBoolean();
                }
                if (!managed && !SnapshotReader.skippedInPlainDirectory(name)) {
                    relevant = Relevance.CHANGE;
                }
            }
        }
        return relevant;
    }

    private static List<String> readMountInfo() {
        try {
            return Files.isReadable(MOUNTINFO) ? Files.readAllLines(MOUNTINFO) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Settings of a {@link ConfigMapWatcher}; everything but the directory has a default. Settings are checked
     * by {@link #build()}.
     */
    public static final class Builder {
        private Path directory;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration debounce = DEFAULT_DEBOUNCE;
        private boolean fileEvents = true;
        private final List<ConfigValidator> validators = new ArrayList<>();
        private final List<ConfigChangeListener> listeners = new ArrayList<>();
        private final List<ReloadableMapping<?>> mappings = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private Formats formats = new Formats();
        private Supplier<List<String>> mountInfo = ConfigMapWatcher::readMountInfo;
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /** The directory the volume is mounted at (not a file in it). Required. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Time between two checks of where {@code ..data} points; 10 ms to 1 h, default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /**
         * Time the events of a plain directory (or an overflow) are gathered after the first before reloading;
         * 0 to 10 s and below the poll interval, default 10 ms. A {@code ..data} swap is applied at once.
         */
        public Builder debounce(Duration debounce) {
            this.debounce = Objects.requireNonNull(debounce, "debounce");
            return this;
        }

        /**
         * Whether to use the file system's change events (default true). Without them, changes are found by the
         * periodic check alone, which is what volume drivers that emit no events leave.
         */
        public Builder fileEvents(boolean fileEvents) {
            this.fileEvents = fileEvents;
            return this;
        }

        /** Adds a validator; validators run in the order they were added. */
        public Builder validator(ConfigValidator validator) {
            validators.add(Objects.requireNonNull(validator, "validator"));
            return this;
        }

        /** Adds a listener; listeners run in the order they were added, after the swap. */
        public Builder listener(ConfigChangeListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds a mapping that is built from every candidate and swapped in with it; a mapping error rejects
         * the reload. */
        public Builder mapping(ReloadableMapping<?> mapping) {
            mappings.add(Objects.requireNonNull(mapping, "mapping"));
            return this;
        }

        /** Wall clock for {@link ConfigSnapshot#loadedAt()} and {@link #lastSuccess()}; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Monotonic time for the debounce and the periodic check; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        Builder formats(Formats formats) {
            this.formats = formats;
            return this;
        }

        Builder mountInfo(Supplier<List<String>> mountInfo, Map<String, String> environment) {
            this.mountInfo = mountInfo;
            this.environment = Map.copyOf(environment);
            return this;
        }

        @Override
        public String toString() {
            return "ConfigMapWatcher.Builder{directory=" + directory + ", pollInterval=" + pollInterval
                    + ", debounce=" + debounce + ", fileEvents=" + fileEvents + "}";
        }

        /**
         * This builder, once its settings are checked.
         *
         * @throws ReadinessConfigException naming the key, the value and what is allowed
         */
        public Builder checked() {
            DIR.check(directory);
            POLL_INTERVAL.check(pollInterval);
            DEBOUNCE.check(debounce);
            if (debounce.compareTo(pollInterval) >= 0) {
                throw new ReadinessConfigException(DEBOUNCE.name(), Syntax.formatDuration(debounce),
                        "must be shorter than " + POLL_INTERVAL.name() + " (" + Syntax.formatDuration(pollInterval)
                                + ")");
            }
            return this;
        }

        /**
         * @throws ReadinessConfigException naming the key, the value and what is allowed, when one is out of range
         *                                  or no directory was set
         */
        public ConfigMapWatcher build() {
            return new ConfigMapWatcher(checked());
        }
    }
}
