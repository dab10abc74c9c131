package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.sessions.*} read from a MicroProfile config. The keys, their defaults and rules are
 * {@link SessionSettings#KEYS}'s; see the settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.sessions.redis.uri=redis://redis:6379   # READINESS_SESSIONS_REDIS_URI, required
 * readiness.sessions.mode=mirror                    # migration from sticky instances
 * readiness.sessions.codec=json                     # with readiness.sessions.allowlist=com.example.Cart
 * </pre>
 */
public final class SessionsConfig {

    private SessionsConfig() {
    }

    /**
     * Reads and validates {@code readiness.sessions.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static SessionSettings from(Config config) {
        return SessionSettings.from(SettingsSource.of(config));
    }
}
