package dev.readiness.core.warmup;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.core.config.Syntax;

import java.time.Duration;
import java.util.List;

/**
 * {@code readiness.warmup.*}: the bound on the warm-up that runs after start-up and before readiness turns UP, and
 * the built-in warm-up that sends requests to the service's own paths. Immutable; the one home of these keys'
 * defaults and rules.
 */
public final class WarmUpSettings {

    private static final String P = "readiness.warmup.";

    /** {@code readiness.warmup.enabled}. */
    public static final Key<Boolean> ENABLED = Key.flag(P + "enabled").defaultsTo(true)
            .means("Whether the warm-up tasks run before readiness turns UP.");
    /** {@code readiness.warmup.timeout}. */
    public static final Key<Duration> TIMEOUT = Key.duration(P + "timeout").defaultsTo(Duration.ofSeconds(30))
            .positiveUpTo(Duration.ofMinutes(10))
            .means("Longest time the warm-up may take; a task still running then is interrupted and the rest"
                    + " skipped, and readiness turns UP all the same.");
    /** {@code readiness.warmup.paths}. */
    public static final Key<List<String>> PATHS = Key.of(P + "paths", Syntax.listOf(Syntax.TEXT))
            .unsetMeans("no built-in warm-up requests")
            .allowed("must be paths starting with /, separated by commas, without spaces or control characters",
                    l -> l.stream().allMatch(WarmUpSettings::isPath))
            .means("Local paths the built-in warm-up sends GET requests to, on the application's own port.");
    /** {@code readiness.warmup.requests}. */
    public static final Key<Integer> REQUESTS = Key.integer(P + "requests").defaultsTo(20).range(1, 100_000)
            .means("Requests the built-in warm-up sends to each path.");

    /** The keys of {@code readiness.warmup.*}. */
    public static final Keys<Builder, WarmUpSettings> KEYS = Keys.of("warm-up", "readiness.warmup",
                    WarmUpSettings::builder, Builder::build)
            .key(ENABLED, Builder::enabled)
            .key(TIMEOUT, Builder::timeout)
            .key(PATHS, Builder::paths)
            .key(REQUESTS, Builder::requests);

    private final boolean enabled;
    private final Duration timeout;
    private final List<String> paths;
    private final int requests;

    private WarmUpSettings(Builder b) {
        this.enabled = b.enabled;
        this.timeout = TIMEOUT.check(b.timeout);
        this.paths = List.copyOf(PATHS.check(b.paths));
        this.requests = REQUESTS.check(b.requests);
    }

    /**
     * The settings {@code source} gives.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static WarmUpSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static WarmUpSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The built-in warm-up's paths; empty when it is off. */
    public List<String> paths() {
        return paths;
    }

    public int requests() {
        return requests;
    }

    static boolean isPath(String p) {
        return p != null && p.startsWith("/") && p.length() <= 2048
                && p.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    @Override
    public String toString() {
        return "WarmUpSettings{enabled=" + enabled + ", timeout=" + Syntax.formatDuration(timeout) + ", paths="
                + paths + ", requests=" + requests + "}";
    }

    /** Builds {@link WarmUpSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private boolean enabled = ENABLED.defaultValue();
        private Duration timeout = TIMEOUT.defaultValue();
        private List<String> paths = List.of();
        private int requests = REQUESTS.defaultValue();

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder paths(List<String> paths) {
            this.paths = paths;
            return this;
        }

        public Builder requests(int requests) {
            this.requests = requests;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public WarmUpSettings build() {
            return new WarmUpSettings(this);
        }
    }
}
