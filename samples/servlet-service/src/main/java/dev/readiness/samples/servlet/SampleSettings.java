package dev.readiness.samples.servlet;

import dev.readiness.core.config.Syntax;
import dev.readiness.core.config.ReadinessConfigException;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/**
 * The sample's own settings, read once at start from the same sources as the library's
 * (system properties, environment variables the MicroProfile way, {@code microprofile-config.properties}).
 * The settings of each capability are read by that capability's own mapping.
 *
 * @param port       {@code server.port} ({@code SERVER_PORT}), default 8080, 0 picks a free port
 * @param redisUri   {@code readiness.sessions.redis.uri} ({@code READINESS_SESSIONS_REDIS_URI}), unset by default:
 *                   then a development Redis is started (see {@link DevRedis}); the sessions module validates it
 * @param databaseRequired {@code database.required} ({@code DATABASE_REQUIRED}), default false: whether the optional
 *                   database's readiness check takes readiness DOWN (degraded by default: every replica shares it)
 */
record SampleSettings(int port, Optional<String> redisUri, boolean databaseRequired) {

    static final int DEFAULT_PORT = 8080;

    /** @throws ReadinessConfigException naming the key and the bad value */
    static SampleSettings from(Config config) {
        String rawPort = config.getOptionalValue("server.port", String.class).orElse(Integer.toString(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(rawPort.trim());
        } catch (NumberFormatException e) {
            throw new ReadinessConfigException("server.port", rawPort, "a port number from 0 to 65535", e);
        }
        ReadinessConfigException.require(port >= 0 && port <= 65535, "server.port", rawPort,
                "a port number from 0 to 65535");
        Optional<String> uri = config.getOptionalValue("readiness.sessions.redis.uri", String.class)
                .map(String::trim).filter(s -> !s.isEmpty());
        boolean databaseRequired = config.getOptionalValue("database.required", String.class)
                .filter(v -> !v.isBlank()).map(SampleSettings::flag).orElse(false);
        return new SampleSettings(port, uri, databaseRequired);
    }

    private static boolean flag(String raw) {
        try {
            return Syntax.BOOLEAN.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ReadinessConfigException("database.required", raw, "true or false", e);
        }
    }

    /** A URI as it may be logged: without its password. */
    static String redact(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
