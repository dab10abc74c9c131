package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;

/**
 * A Spring Boot test class whose sessions live in a real redis-server of its own, started before the context
 * (whose {@code readiness.sessions.redis.uri} it sets) and stopped after the class, once the checks no longer run.
 */
abstract class RealRedisSessions {

    /** This test class's own server: started before its context loads (after {@code @BeforeAll}). */
    static RedisServer REDIS;
    static ConfigurableApplicationContext started;

    @BeforeAll
    static void startRedis() throws IOException {
        REDIS = RedisServer.start();
        started = null;
        System.setProperty("readiness.sessions.redis.uri", REDIS.uri());
    }

    @Autowired
    void context(ConfigurableApplicationContext context) {
        started = context;
    }

    @AfterAll
    static void stopRedis() {
        if (started != null) {
            started.getBean(HealthRegistry.class).close(); // no check runs against a server that is gone
        }
        System.clearProperty("readiness.sessions.redis.uri");
        REDIS.close();
    }
}
