package dev.readiness.samples.boot;

import dev.readiness.testkit.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Development only: when {@code readiness.sessions.redis.uri} ({@code READINESS_SESSIONS_REDIS_URI}) is not set,
 * starts a local redis-server (the binary that {@code com.github.codemonstur:embedded-redis} ships, or one on the
 * PATH) on a free loopback port, says so, and sets the property to it. The server is the first disposable bean,
 * so it is stopped last, after the web server drained and every client closed. A service copied from this
 * sample removes this class and always configures the URI.
 */
final class DevRedisInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    static final String URI_PROPERTY = "readiness.sessions.redis.uri";
    private static final Logger log = LoggerFactory.getLogger(DevRedisInitializer.class);

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        String configured = env.getProperty(URI_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return;
        }
        RedisServer server;
        try {
            server = RedisServer.startInOwnSession();
            log.warn("READINESS_SESSIONS_REDIS_URI is not set: started a local development Redis at {} (pid {},"
                    + " binary {}). Development only: sessions are lost when this process stops. In a cluster, set"
                    + " READINESS_SESSIONS_REDIS_URI.", server.uri(), server.pid(), RedisServer.binary());
        } catch (IOException e) {
            throw new UncheckedIOException("READINESS_SESSIONS_REDIS_URI is not set and no development Redis could"
                    + " be started (" + e.getMessage() + "): set READINESS_SESSIONS_REDIS_URI to a Redis server", e);
        }
        env.getPropertySources().addFirst(new MapPropertySource("developmentRedis", Map.of(URI_PROPERTY, server.uri())));
        // A development run serves plain http on localhost: session cookies without the Secure flag, unless
        // configured otherwise (this source comes last, so any explicit setting wins).
        env.getPropertySources().addLast(new MapPropertySource("developmentRedisDefaults",
                Map.of("readiness.sessions.cookie.secure", "false")));
        DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
        beans.registerSingleton("developmentRedis", server);
        beans.registerDisposableBean("developmentRedis", () -> {
            log.info("stopping the development Redis at {}", server.uri());
            server.close();
        });
    }
}
