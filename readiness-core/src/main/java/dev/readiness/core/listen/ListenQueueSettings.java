package dev.readiness.core.listen;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the listen-queue probe. Immutable; built with {@link #builder()}, validated in
 * {@link Builder#build()}, read from {@code readiness.listen.*} by {@link ListenQueueConfig}.
 */
public final class ListenQueueSettings {

    /** Default root of the proc file system: {@code /proc}. */
    public static final Path DEFAULT_PROC_ROOT = Path.of("/proc");
    /** The backlog the JDK uses when a server asks for less than 1 (Jetty's default acceptQueueSize of 0). */
    public static final int JDK_DEFAULT_BACKLOG = 50;
    /** Default smallest effective backlog that does not draw a warning at start: 128. */
    public static final int DEFAULT_MIN_BACKLOG = 128;
    /** Default time between two samples: 5 s. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(5);
    /** Default shortest time between two overflow log lines: 1 min. */
    public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofMinutes(1);

    private static final String P = "readiness.listen.";

    /** {@code readiness.listen.enabled}. */
    public static final Key<Boolean> ENABLED = Key.flag(P + "enabled").defaultsTo(true)
            .means("Whether the listen-queue probe runs at all.");
    /** {@code readiness.listen.proc-root}. */
    public static final Key<Path> PROC_ROOT = Key.of(P + "proc-root", Syntax.PATH).defaultsTo(DEFAULT_PROC_ROOT)
            .allowed("must be a directory path", p -> !p.toString().isBlank())
            .means("Root of the proc file system; tests point it at recorded trees.");
    /** {@code readiness.listen.ports}. */
    public static final Key<List<Integer>> PORTS = Key.of(P + "ports", Syntax.listOf(Syntax.INTEGER))
            .unsetMeans("the process's own listeners")
            .allowed("must be ports 1..65535, separated by commas",
                    l -> l.stream().allMatch(port -> port != null && port >= 1 && port <= 65535))
            .means("Ports whose listeners are watched; empty means the process's own listeners, found through"
                    + " /proc/self/fd, so a sidecar's are left out.");
    /** {@code readiness.listen.requested-backlog}. */
    public static final Key<Integer> REQUESTED_BACKLOG = Key.integer(P + "requested-backlog")
            .unsetMeans("unknown").allowed("must be 0 (the JDK default of 50) or more", b -> b >= 0)
            .means("The backlog the server passes to listen(), when no server adapter reports it.");
    /** {@code readiness.listen.min-backlog}. */
    public static final Key<Integer> MIN_BACKLOG = Key.integer(P + "min-backlog").defaultsTo(DEFAULT_MIN_BACKLOG)
            .allowed("must be 0 (no warning) or more", b -> b >= 0)
            .means("Smallest effective backlog that draws no warning at start; 0 turns the warning off.");
    /** {@code readiness.listen.sample-interval}. */
    public static final Key<Duration> SAMPLE_INTERVAL = Key.duration(P + "sample-interval")
            .defaultsTo(DEFAULT_SAMPLE_INTERVAL).positiveUpTo(Duration.ofDays(1))
            .means("Time between two samples of the accept queues.");
    /** {@code readiness.listen.log-interval}. */
    public static final Key<Duration> LOG_INTERVAL = Key.duration(P + "log-interval")
            .defaultsTo(DEFAULT_LOG_INTERVAL).positiveUpTo(Duration.ofDays(1))
            .means("Shortest time between two overflow log lines; overflows in between are summed into the next.");
    /** {@code readiness.listen.readiness-on-overflow}. */
    public static final Key<Boolean> READINESS_ON_OVERFLOW = Key.flag(P + "readiness-on-overflow")
            .defaultsTo(false).means("Whether readiness turns DOWN while the accept queue overflows.");

    /** The keys of {@code readiness.listen.*}. */
    public static final Keys<Builder, ListenQueueSettings> KEYS = Keys.of("listen queue", "readiness.listen",
                    ListenQueueSettings::builder, Builder::build)
            .key(ENABLED, Builder::enabled)
            .key(PROC_ROOT, Builder::procRoot)
            .key(PORTS, (b, l) -> b.ports(new TreeSet<>(l)))
            .key(REQUESTED_BACKLOG, (b, v) -> b.requestedBacklog(v.intValue()))
            .key(MIN_BACKLOG, Builder::minBacklog)
            .key(SAMPLE_INTERVAL, Builder::sampleInterval)
            .key(LOG_INTERVAL, Builder::logInterval)
            .key(READINESS_ON_OVERFLOW, Builder::readinessOnOverflow);

    private static final ListenQueueSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final Path procRoot;
    private final Set<Integer> ports;
    private final OptionalInt requestedBacklog;
    private final int minBacklog;
    private final Duration sampleInterval;
    private final Duration logInterval;
    private final boolean readinessOnOverflow;

    private ListenQueueSettings(Builder b) {
        this.enabled = b.enabled;
        this.procRoot = PROC_ROOT.check(b.procRoot);
        this.ports = Collections.unmodifiableSet(new TreeSet<>(PORTS.check(new ArrayList<>(b.ports))));
        if (b.requestedBacklog.isPresent()) {
            REQUESTED_BACKLOG.check(b.requestedBacklog.getAsInt());
        }
        this.requestedBacklog = b.requestedBacklog;
        this.minBacklog = MIN_BACKLOG.check(b.minBacklog);
        this.sampleInterval = SAMPLE_INTERVAL.check(b.sampleInterval);
        this.logInterval = LOG_INTERVAL.check(b.logInterval);
        this.readinessOnOverflow = b.readinessOnOverflow;
    }

    /**
     * The settings {@code source} gives for {@code readiness.listen.*}, every key it does not have at its
     * default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static ListenQueueSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static ListenQueueSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the probe runs at all; default {@code true}. */
    public boolean enabled() {
        return enabled;
    }

    /** Root of the proc file system; default {@code /proc}. Tests point it at recorded trees. */
    public Path procRoot() {
        return procRoot;
    }

    /**
     * The ports whose listeners are watched. Empty (the default) means the process's own listeners, found by
     * matching socket inodes under {@code /proc/self/fd}, so a sidecar's listeners in the same pod are left out.
     */
    public Set<Integer> ports() {
        return ports;
    }

    /**
     * The backlog the server passes to {@code listen()}, when no server adapter reports it; empty (the default)
     * means unknown. 0 means the JDK default of 50.
     */
    public OptionalInt requestedBacklog() {
        return requestedBacklog;
    }

    /**
     * The smallest effective backlog a service that expects load should have; below it the probe warns at
     * start. Default 128; 0 turns the warning off.
     */
    public int minBacklog() {
        return minBacklog;
    }

    /** Time between two samples; default 5 s. */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** Shortest time between two overflow log lines; overflows in between are summed into the next. Default 1 min. */
    public Duration logInterval() {
        return logInterval;
    }

    /** Whether readiness turns DOWN while the accept queue overflows; default {@code false}. */
    public boolean readinessOnOverflow() {
        return readinessOnOverflow;
    }

    @Override
    public String toString() {
        return "ListenQueueSettings{enabled=" + enabled + ", procRoot=" + procRoot + ", ports=" + ports + ", requestedBacklog="
                + (requestedBacklog.isPresent() ? requestedBacklog.getAsInt() : "unknown") + ", minBacklog="
                + minBacklog + ", sampleInterval=" + sampleInterval + ", logInterval=" + logInterval
                + ", readinessOnOverflow=" + readinessOnOverflow + "}";
    }

    /** Builds {@link ListenQueueSettings}; values are validated in {@link #build()}. */
    public static final class Builder {
        private boolean enabled = true;
        private Path procRoot = DEFAULT_PROC_ROOT;
        private Set<Integer> ports = Set.of();
        private OptionalInt requestedBacklog = OptionalInt.empty();
        private int minBacklog = DEFAULT_MIN_BACKLOG;
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
        private Duration logInterval = DEFAULT_LOG_INTERVAL;
        private boolean readinessOnOverflow;

        private Builder() {
        }

        /** Whether the probe runs at all. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder procRoot(Path procRoot) {
            this.procRoot = procRoot;
            return this;
        }

        public Builder ports(Set<Integer> ports) {
            this.ports = Objects.requireNonNull(ports, "ports");
            return this;
        }

        public Builder requestedBacklog(int backlog) {
            this.requestedBacklog = OptionalInt.of(backlog);
            return this;
        }

        public Builder requestedBacklog(OptionalInt backlog) {
            this.requestedBacklog = Objects.requireNonNull(backlog, "requestedBacklog");
            return this;
        }

        public Builder minBacklog(int minBacklog) {
            this.minBacklog = minBacklog;
            return this;
        }

        public Builder sampleInterval(Duration sampleInterval) {
            this.sampleInterval = sampleInterval;
            return this;
        }

        public Builder logInterval(Duration logInterval) {
            this.logInterval = logInterval;
            return this;
        }

        public Builder readinessOnOverflow(boolean readinessOnOverflow) {
            this.readinessOnOverflow = readinessOnOverflow;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting and the bad value
         */
        public ListenQueueSettings build() {
            return new ListenQueueSettings(this);
        }
    }
}
