package dev.readiness.core.listen;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
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

    private static final ListenQueueSettings DEFAULTS = builder().build();

    private final Path procRoot;
    private final Set<Integer> ports;
    private final OptionalInt requestedBacklog;
    private final int minBacklog;
    private final Duration sampleInterval;
    private final Duration logInterval;
    private final boolean readinessOnOverflow;

    private ListenQueueSettings(Builder b) {
        this.procRoot = Objects.requireNonNull(b.procRoot, "proc-root");
        TreeSet<Integer> p = new TreeSet<>();
        for (Integer port : b.ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("ports must be 1..65535, was " + port);
            }
            p.add(port);
        }
        this.ports = Collections.unmodifiableSet(p);
        if (b.requestedBacklog.isPresent() && b.requestedBacklog.getAsInt() < 0) {
            throw new IllegalArgumentException("requested-backlog cannot be negative, was "
                    + b.requestedBacklog.getAsInt());
        }
        this.requestedBacklog = b.requestedBacklog;
        if (b.minBacklog < 0) {
            throw new IllegalArgumentException("min-backlog cannot be negative, was " + b.minBacklog);
        }
        this.minBacklog = b.minBacklog;
        this.sampleInterval = positive("sample-interval", b.sampleInterval);
        this.logInterval = positive("log-interval", b.logInterval);
        this.readinessOnOverflow = b.readinessOnOverflow;
    }

    public static ListenQueueSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
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
        return "ListenQueueSettings{procRoot=" + procRoot + ", ports=" + ports + ", requestedBacklog="
                + (requestedBacklog.isPresent() ? requestedBacklog.getAsInt() : "unknown") + ", minBacklog="
                + minBacklog + ", sampleInterval=" + sampleInterval + ", logInterval=" + logInterval
                + ", readinessOnOverflow=" + readinessOnOverflow + "}";
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
        return value;
    }

    /** Builds {@link ListenQueueSettings}; values are validated in {@link #build()}. */
    public static final class Builder {
        private Path procRoot = DEFAULT_PROC_ROOT;
        private Set<Integer> ports = Set.of();
        private OptionalInt requestedBacklog = OptionalInt.empty();
        private int minBacklog = DEFAULT_MIN_BACKLOG;
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
        private Duration logInterval = DEFAULT_LOG_INTERVAL;
        private boolean readinessOnOverflow;

        private Builder() {
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
