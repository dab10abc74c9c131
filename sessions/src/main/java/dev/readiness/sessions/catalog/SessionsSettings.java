package dev.readiness.sessions.catalog;

import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.sessions.SessionSettings;

import java.util.List;

/** The settings readiness-sessions declares: {@code readiness.sessions.*}. */
public final class SessionsSettings implements SettingsProvider {

    @Override
    public List<Keys<?, ?>> settings() {
        return List.of(SessionSettings.KEYS);
    }
}
