package dev.readiness.grpc.catalog;

import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.grpc.GrpcSettings;

import java.util.List;

/** The settings readiness-grpc declares. */
public final class GrpcModuleSettings implements SettingsProvider {

    @Override
    public List<Keys<?, ?>> settings() {
        return List.of(GrpcSettings.KEYS);
    }
}
