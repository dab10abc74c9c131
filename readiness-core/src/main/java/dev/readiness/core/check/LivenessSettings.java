package dev.readiness.core.check;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;

/**
 * Immutable settings of the liveness checks readiness-core ships ({@code readiness.liveness.*}): which of them a
 * front end (the Spring Boot starter) registers. The one place that knows their defaults.
 */
public final class LivenessSettings {

    /** {@code readiness.liveness.deadlock.enabled}. */
    public static final Key<Boolean> DEADLOCK_ENABLED = Key.flag("readiness.liveness.deadlock.enabled")
            .defaultsTo(true)
            .means("Whether the deadlock check (threads deadlocked on monitors or locks) is registered for"
                    + " liveness.");

    /** {@code readiness.liveness.http-listener.enabled}. */
    public static final Key<Boolean> HTTP_LISTENER_ENABLED = Key.flag("readiness.liveness.http-listener.enabled")
            .defaultsTo(true)
            .means("Whether the application's own HTTP listener (Tomcat's or Jetty's connectors) is checked for"
                    + " liveness from the server's state: DOWN when a connector that had started stopped, lost its"
                    + " socket or its acceptor thread while no drain asked for it.");

    /** The keys of {@code readiness.liveness.*}. */
    public static final Keys<Builder, LivenessSettings> KEYS = Keys.of("Liveness checks", "readiness.liveness",
                    LivenessSettings::builder, Builder::build)
            .key(DEADLOCK_ENABLED, Builder::deadlockEnabled)
            .key(HTTP_LISTENER_ENABLED, Builder::httpListenerEnabled);

    private final boolean deadlockEnabled;
    private final boolean httpListenerEnabled;

    private LivenessSettings(Builder b) {
        this.deadlockEnabled = b.deadlockEnabled;
        this.httpListenerEnabled = b.httpListenerEnabled;
    }

    /**
     * The settings {@code source} gives for {@code readiness.liveness.*}, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static LivenessSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@link DeadlockCheck} is registered for liveness. Default {@code true}. */
    public boolean deadlockEnabled() {
        return deadlockEnabled;
    }

    /** Whether the HTTP listener check is registered for liveness where a front end knows the server. Default {@code true}. */
    public boolean httpListenerEnabled() {
        return httpListenerEnabled;
    }

    @Override
    public String toString() {
        return "LivenessSettings{deadlockEnabled=" + deadlockEnabled + ", httpListenerEnabled=" + httpListenerEnabled
                + "}";
    }

    /** Builds {@link LivenessSettings}. */
    public static final class Builder {
        private boolean deadlockEnabled = DEADLOCK_ENABLED.defaultValue();
        private boolean httpListenerEnabled = HTTP_LISTENER_ENABLED.defaultValue();

        private Builder() {
        }

        public Builder deadlockEnabled(boolean enabled) {
            this.deadlockEnabled = enabled;
            return this;
        }

        public Builder httpListenerEnabled(boolean enabled) {
            this.httpListenerEnabled = enabled;
            return this;
        }

        public LivenessSettings build() {
            return new LivenessSettings(this);
        }
    }
}
