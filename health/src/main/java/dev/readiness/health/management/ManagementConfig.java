package dev.readiness.health.management;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.Config;

/**
 * {@code readiness.management.*}: the management HTTP server.
 * <pre>
 * readiness.management.port=8081       # READINESS_MANAGEMENT_PORT; 0 picks a free port
 * readiness.management.host=0.0.0.0    # every interface, so the kubelet can reach it on the pod IP
 * readiness.management.details=false   # whether ?verbose shows per-check detail
 * readiness.management.threads=2       # serving threads kept ready (more start for slow clients, up to 64)
 * </pre>
 */
@ConfigMapping(prefix = "readiness.management")
public interface ManagementConfig {

    /** Port to listen on, 0..65535 (0 picks a free one). Default 8081. */
    @WithDefault("8081")
    int port();

    /** Address to bind. Default {@code 0.0.0.0}: the kubelet probes the pod IP, not loopback. */
    @WithDefault("0.0.0.0")
    String host();

    /**
     * Whether {@code ?verbose} adds per-check detail (messages, timings, pool figures). Default {@code false}:
     * the management port is often reachable from inside the cluster, and details name internal hosts.
     */
    @WithDefault("false")
    boolean details();

    /**
     * Threads kept ready to serve, 1..64. Default 2: probes are constant-time reads. More threads start, up to
     * {@link ManagementServer#MAX_THREADS}, while clients are slow to send their requests.
     */
    @WithDefault("2")
    int threads();

    /**
     * Validates and applies these settings to a builder.
     *
     * @throws ReadinessConfigException naming the key, the value and what is allowed
     */
    default ManagementServer.Builder applyTo(ManagementServer.Builder builder) {
        String p = "readiness.management.";
        ReadinessConfigException.require(port() >= 0 && port() <= 65535, p + "port", port(), "must be 0..65535");
        ReadinessConfigException.require(!host().isBlank() && host().strip().equals(host())
                && host().chars().noneMatch(Character::isISOControl), p + "host", host(),
                "must be a host name or IP address");
        ReadinessConfigException.require(threads() >= 1 && threads() <= 64, p + "threads", threads(), "must be 1..64");
        return builder.port(port()).host(host()).details(details()).threads(threads());
    }

    /** Reads and validates {@code readiness.management.*} into {@code builder}. */
    static ManagementServer.Builder applyTo(Config config, ManagementServer.Builder builder) {
        ManagementConfig mapped = ReadinessConfig.mapping(config, ManagementConfig.class);
        return ReadinessConfig.validate(config, () -> mapped.applyTo(builder));
    }
}
