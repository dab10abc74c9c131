package dev.readiness.sessions.redis;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store's check, registered for readiness as the guide shows, follows Redis down and up again. */
class SessionsReadinessIT {

    /** What the probe shows while Redis hangs, and that it recovers once Redis answers again. */
    private interface WhileHung {
        void check(HealthRegistry registry);
    }

    private static void hangRedis(SessionSettings.Builder settings, WhileHung whileHung, WhileHung recovered)
            throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings s = settings.redisUri(redis.uri()).build();
            try (RedisSessionStore store = RedisSessionStore.create(s);
                 HealthRegistry registry = HealthRegistry.create()) {
                registry.readiness("redis-sessions", store.readinessCheck(), CheckOptions.builder()
                        .interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(500))
                        .required(s.required()).build());
                registry.start();
                registry.markStarted();
                await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).isUp());
                redis.pause();
                try {
                    whileHung.check(registry);
                } finally {
                    redis.resume();
                }
                recovered.check(registry);
            }
        }
    }

    @Test
    void byDefaultAHungRedisIsDegradedAndReadinessStaysUp() throws Exception {
        hangRedis(SessionSettings.builder(), registry -> {
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).degraded());
            assertThat(registry.report(Probe.READINESS).isUp()).as("a shared Redis: degraded, not DOWN").isTrue();
        }, registry -> await().atMost(Duration.ofSeconds(20)).until(() -> !registry.report(Probe.READINESS).degraded()));
    }

    @Test
    void requiredReadinessGoesDownWhileRedisHangsAndUpWhenItAnswersAgain() throws Exception {
        hangRedis(SessionSettings.builder().required(true),
                registry -> await().atMost(Duration.ofSeconds(20)).until(() -> !registry.report(Probe.READINESS).isUp()),
                registry -> await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).isUp()));
    }
}
