package dev.readiness.samples.grpc;

import dev.readiness.core.config.ReadinessConfigException;
import io.lettuce.core.RedisURI;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * The sample's own settings, read once at start from the same sources as the library's (system properties,
 * environment variables the MicroProfile way). The library's settings are read by each feature's own mapping.
 *
 * @param port     {@code grpc.port} ({@code GRPC_PORT}), default 9090, 0 picks a free port
 * @param redisUri {@code readiness.sessions.redis.uri} ({@code READINESS_SESSIONS_REDIS_URI}), unset by default:
 *                 then a development Redis is started (see {@link DevRedis})
 */
record GrpcSampleSettings(int port, Optional<RedisURI> redisUri) {

    static final int DEFAULT_PORT = 9090;
    static final String PORT = "grpc.port";
    static final String REDIS_URI = "readiness.sessions.redis.uri";

    /** @throws ReadinessConfigException naming the key and the bad value (a URI without its password) */
    static GrpcSampleSettings from(Config config) {
        String rawPort = config.getOptionalValue(PORT, String.class).orElse(Integer.toString(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(rawPort.trim());
        } catch (NumberFormatException e) {
            throw new ReadinessConfigException(PORT, rawPort, "a port number from 0 to 65535", e);
        }
        ReadinessConfigException.require(port >= 0 && port <= 65535, PORT, rawPort, "a port number from 0 to 65535");
        Optional<String> raw = config.getOptionalValue(REDIS_URI, String.class).map(String::trim).filter(s -> !s.isEmpty());
        Optional<RedisURI> uri = raw.map(GrpcSampleSettings::redisUri);
        return new GrpcSampleSettings(port, uri);
    }

    private static RedisURI redisUri(String raw) {
        RedisURI uri;
        try {
            uri = RedisURI.create(raw);
        } catch (RuntimeException e) {
            throw new ReadinessConfigException(REDIS_URI, redact(raw), "a redis:// or rediss:// URI", e);
        }
        if (uri.getHost() == null || uri.getHost().isBlank() || !raw.matches("(?i)rediss?://.*") || !serverBased(raw)) {
            throw new ReadinessConfigException(REDIS_URI, redact(raw), "a redis:// or rediss:// URI with a host");
        }
        return uri;
    }

    /** A host and, when given, a numeric port: what java.net.URI parses as a server-based authority. */
    private static boolean serverBased(String raw) {
        try {
            return new java.net.URI(raw).getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** A URI as it may be logged: without its password. */
    static String redact(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
