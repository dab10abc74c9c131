package dev.readiness.grpc;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.grpc.*} read from a MicroProfile config. The keys, their defaults and rules are
 * {@link GrpcSettings#KEYS}'s; see the settings table in {@code src/docs/settings.md}.
 * <pre>
 * readiness.grpc.max-connection-age=5m          # READINESS_GRPC_MAX_CONNECTION_AGE
 * readiness.grpc.max-connection-age-grace=20s
 * </pre>
 */
public final class GrpcConfig {

    private GrpcConfig() {
    }

    /**
     * Reads and validates {@code readiness.grpc.*} from {@code config}.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static GrpcSettings from(Config config) {
        return GrpcSettings.from(SettingsSource.of(config));
    }
}
