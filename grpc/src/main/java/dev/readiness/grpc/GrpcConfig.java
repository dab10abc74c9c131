package dev.readiness.grpc;

import dev.readiness.core.config.ReadinessConfig;
import io.smallrye.config.ConfigMapping;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code readiness.grpc.*}, read through SmallRye Config. Only copies the values present onto
 * {@link GrpcSettings.Builder}: the defaults and rules live there.
 * <pre>
 * readiness.grpc.max-connection-age=5m          # READINESS_GRPC_MAX_CONNECTION_AGE
 * readiness.grpc.max-connection-age-grace=20s   # READINESS_GRPC_MAX_CONNECTION_AGE_GRACE
 * </pre>
 */
@ConfigMapping(prefix = "readiness.grpc")
public interface GrpcConfig {

    /** Age after which the server sends a connection GOAWAY. */
    Optional<Duration> maxConnectionAge();

    /** Time calls on an aged connection may still run. */
    Optional<Duration> maxConnectionAgeGrace();

    /** @throws dev.readiness.core.config.ReadinessConfigException naming the key, the value and what is allowed */
    default GrpcSettings toSettings() {
        GrpcSettings.Builder b = GrpcSettings.builder();
        maxConnectionAge().ifPresent(b::maxConnectionAge);
        maxConnectionAgeGrace().ifPresent(b::maxConnectionAgeGrace);
        return b.build();
    }

    /** Reads and validates {@code readiness.grpc.*} from {@code config}. */
    static GrpcSettings from(Config config) {
        GrpcConfig mapped = ReadinessConfig.mapping(config, GrpcConfig.class);
        return ReadinessConfig.validate(config, mapped::toSettings);
    }
}
