package dev.readiness.core.reload;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code readiness.config.*}: where the ConfigMap is mounted and how it is watched.
 * <pre>
 * readiness.config.dir=/etc/app          # READINESS_CONFIG_DIR; required to watch
 * readiness.config.poll-interval=1s      # check of where ..data points, for drivers without events
 * readiness.config.debounce=10ms         # gather a plain directory's burst of events before reloading
 * readiness.config.file-events=true      # false: rely on the periodic check alone
 * </pre>
 */
@ConfigMapping(prefix = "readiness.config")
public interface ConfigReloadConfig {

    /** The directory the ConfigMap volume is mounted at (not a file in it, not a subPath). No default. */
    Optional<String> dir();

    /** Time between two checks of where {@code ..data} points; 10ms to 1h. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * Time the events of a plain directory are gathered after the first before reloading; 0 to 10s, below the
     * poll interval. A kubelet's {@code ..data} swap is applied at once.
     */
    @WithDefault("10ms")
    Duration debounce();

    /** Whether to use file system change events; without them the periodic check finds every change. */
    @WithDefault("true")
    boolean fileEvents();

    /**
     * A watcher builder with these settings; add validators, listeners and mappings, then build and start.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default ConfigMapWatcher.Builder toBuilder() {
        String p = "readiness.config.";
        String d = dir().map(String::trim).orElse("");
        ReadinessConfigException.require(!d.isEmpty(), p + "dir", d,
                "must be set to the directory the ConfigMap volume is mounted at");
        Path path;
        try {
            path = Path.of(d);
        } catch (InvalidPathException e) {
            throw new ReadinessConfigException(p + "dir", d, "must be a file system path: " + e.getReason(), e);
        }
        Duration poll = pollInterval();
        ReadinessConfigException.require(poll.compareTo(ConfigMapWatcher.MIN_POLL_INTERVAL) >= 0
                && poll.compareTo(ConfigMapWatcher.MAX_POLL_INTERVAL) <= 0, p + "poll-interval", poll,
                "must be between 10ms and 1h");
        Duration deb = debounce();
        ReadinessConfigException.require(!deb.isNegative() && deb.compareTo(ConfigMapWatcher.MAX_DEBOUNCE) <= 0,
                p + "debounce", deb, "must be between 0ms and 10s");
        ReadinessConfigException.require(deb.compareTo(poll) < 0, p + "debounce", deb,
                "must be shorter than readiness.config.poll-interval (" + poll + ")");
        return ConfigMapWatcher.builder().directory(path).pollInterval(poll).debounce(deb).fileEvents(fileEvents());
    }

    /** Reads and validates {@code readiness.config.*} from {@code config}. */
    static ConfigMapWatcher.Builder from(Config config) {
        return ReadinessConfig.mapping(config, ConfigReloadConfig.class).toBuilder();
    }
}
