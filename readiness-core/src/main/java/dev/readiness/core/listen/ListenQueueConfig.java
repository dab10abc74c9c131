package dev.readiness.core.listen;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code readiness.listen.*}: the listen-queue probe.
 * <pre>
 * readiness.listen.enabled=true                  # READINESS_LISTEN_ENABLED
 * readiness.listen.proc-root=/proc
 * readiness.listen.ports=                        # e.g. 8080,8443; empty: the process's own listeners
 * readiness.listen.requested-backlog=            # when no server adapter reports it; 0 = JDK default 50
 * readiness.listen.min-backlog=128               # warn at start below this; 0 = no warning
 * readiness.listen.sample-interval=5s
 * readiness.listen.log-interval=1m
 * readiness.listen.readiness-on-overflow=false
 * </pre>
 */
@ConfigMapping(prefix = "readiness.listen")
public interface ListenQueueConfig {

    /**
     * Whether the probe runs at all: {@code true} or {@code false}. Read as text and checked by
     * {@link #isEnabled()}, because SmallRye's boolean converter turns any other word into {@code false} silently.
     */
    @WithDefault("true")
    String enabled();

    /** Root of the proc file system. */
    @WithDefault("/proc")
    String procRoot();

    /** Ports to watch; absent means the process's own listeners. */
    Optional<List<Integer>> ports();

    /** The backlog the server requests, when no server adapter reports it. */
    OptionalInt requestedBacklog();

    /** Smallest effective backlog without a warning at start. */
    @WithDefault("128")
    int minBacklog();

    /** Time between two samples. */
    @WithDefault("5s")
    Duration sampleInterval();

    /** Shortest time between two overflow log lines. */
    @WithDefault("1m")
    Duration logInterval();

    /** Whether readiness turns DOWN while the accept queue overflows: {@code true} or {@code false}. */
    @WithDefault("false")
    String readinessOnOverflow();

    /**
     * {@link #enabled()} as a boolean.
     *
     * @throws ReadinessConfigException when it is neither {@code true} nor {@code false}
     */
    default boolean isEnabled() {
        return bool("readiness.listen.enabled", enabled());
    }

    private static boolean bool(String key, String value) {
        String v = value.trim();
        ReadinessConfigException.require(v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"), key, value,
                "must be true or false");
        return v.equalsIgnoreCase("true");
    }

    /**
     * These values as validated {@link ListenQueueSettings}.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default ListenQueueSettings toSettings() {
        String p = "readiness.listen.";
        ReadinessConfigException.require(!procRoot().isBlank(), p + "proc-root", procRoot(), "must be a directory path");
        List<Integer> ports = ports().orElse(List.of());
        for (Integer port : ports) {
            ReadinessConfigException.require(port != null && port >= 1 && port <= 65535, p + "ports", ports,
                    "every port must be 1..65535");
        }
        requestedBacklog().ifPresent(b -> ReadinessConfigException.require(b >= 0, p + "requested-backlog", b,
                "must be 0 (the JDK default of 50) or more"));
        ReadinessConfigException.require(minBacklog() >= 0, p + "min-backlog", minBacklog(),
                "must be 0 (no warning) or more");
        ReadinessConfigException.require(!sampleInterval().isNegative() && !sampleInterval().isZero(),
                p + "sample-interval", sampleInterval(), "must be a positive duration");
        ReadinessConfigException.require(!logInterval().isNegative() && !logInterval().isZero(),
                p + "log-interval", logInterval(), "must be a positive duration");
        boolean readinessOnOverflow = bool(p + "readiness-on-overflow", readinessOnOverflow());
        Path root;
        try {
            root = Path.of(procRoot());
        } catch (InvalidPathException e) {
            throw new ReadinessConfigException(p + "proc-root", procRoot(), "must be a directory path", e);
        }
        return ListenQueueSettings.builder().procRoot(root).ports(Set.copyOf(ports))
                .requestedBacklog(requestedBacklog()).minBacklog(minBacklog()).sampleInterval(sampleInterval())
                .logInterval(logInterval()).readinessOnOverflow(readinessOnOverflow).build();
    }

    /** Reads and validates {@code readiness.listen.*} from {@code config}. */
    static ListenQueueSettings from(Config config) {
        return ReadinessConfig.mapping(config, ListenQueueConfig.class).toSettings();
    }
}
