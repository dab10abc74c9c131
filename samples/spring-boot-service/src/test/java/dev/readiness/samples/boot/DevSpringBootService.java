package dev.readiness.samples.boot;

import dev.readiness.testkit.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sample's development run, with everything on and nothing to set up: {@code mvn spring-boot:test-run}
 * in this directory. When no Redis is configured
 * ({@code READINESS_SESSIONS_REDIS_URI} or {@code readiness.sessions.redis.uri}), it starts a local redis-server
 * (the binary that {@code com.github.codemonstur:embedded-redis} ships, or one on the PATH) on a free loopback
 * port, says so, and runs {@link SpringBootService#main} with it, session cookies without the {@code Secure}
 * flag (a development run serves plain http on localhost) unless configured otherwise. It lives in the test
 * sources, as Spring Boot's development services do: the production jar holds no development Redis, and
 * without a Redis it stays unready (see {@link SpringBootService}).
 */
public final class DevSpringBootService {

    private static final Logger log = LoggerFactory.getLogger(DevSpringBootService.class);
    private static final String URI = "readiness.sessions.redis.uri";
    private static final String SECURE = "readiness.sessions.cookie.secure";

    /** The development Redis of this run, for {@link DevRedis} to stop last. */
    private static RedisServer redis;

    private DevSpringBootService() {
    }

    public static void main(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!configured(URI, args)) {
            try {
                redis = RedisServer.startInOwnSession();
                log.warn("READINESS_SESSIONS_REDIS_URI is not set: started a local development Redis at {} (pid {},"
                        + " binary {}). Development only: sessions are lost when this process stops. In a cluster,"
                        + " set READINESS_SESSIONS_REDIS_URI.", redis.uri(), redis.pid(), RedisServer.binary());
            } catch (IOException e) {
                throw new UncheckedIOException("READINESS_SESSIONS_REDIS_URI is not set and no development Redis"
                        + " could be started (" + e.getMessage() + "): set READINESS_SESSIONS_REDIS_URI to a Redis"
                        + " server", e);
            }
            all.add("--" + URI + "=" + redis.uri());
            if (!configured(SECURE, args)) {
                all.add("--" + SECURE + "=false");
            }
        }
        SpringApplication.from(SpringBootService::main).with(DevRedis.class).run(all.toArray(String[]::new));
    }

    private static boolean configured(String key, String[] args) {
        String env = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
        String property = System.getProperty(key);
        return (env != null && !env.isBlank()) || (property != null && !property.isBlank())
                || Arrays.stream(args).anyMatch(a -> a.startsWith("--" + key + "="));
    }

    /**
     * Registers the development Redis as the context's first disposable bean, before any other singleton
     * exists, so that it is stopped last: after the web server drained and the session store closed. Not a
     * component, so that scanning the test classes never registers it twice.
     */
    static class DevRedis {

        @Bean
        static BeanFactoryPostProcessor developmentRedis() {
            return beanFactory -> {
                if (redis == null) {
                    return;
                }
                RedisServer server = redis;
                DefaultListableBeanFactory beans = (DefaultListableBeanFactory) beanFactory;
                beans.registerSingleton("developmentRedisServer", server);
                beans.registerDisposableBean("developmentRedisServer", () -> {
                    log.info("stopping the development Redis at {}", server.uri());
                    server.close();
                });
            };
        }
    }
}
