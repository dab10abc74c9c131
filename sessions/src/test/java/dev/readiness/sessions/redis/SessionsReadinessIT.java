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

    @Test
    void byDefaultAHungRedisIsDegradedAndReadinessStaysUp() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).build();
            try (RedisSessionStore store = RedisSessionStore.create(settings);
                 HealthRegistry registry = HealthRegistry.create()) {
                registry.readiness("redis-sessions", store.readinessCheck(), CheckOptions.builder()
                        .interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(500))
                        .required(settings.required()).build());
                registry.start();
                registry.markStarted();
                await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).isUp());
                redis.pause();
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).degraded());
                    assertThat(registry.report(Probe.READINESS).isUp()).as("a shared Redis: degraded, not DOWN").isTrue();
                } finally {
                    redis.resume();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> !registry.report(Probe.READINESS).degraded());
            }
        }
    }

    @Test
    void requiredReadinessGoesDownWhileRedisHangsAndUpWhenItAnswersAgain() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).required(true).build();
            try (RedisSessionStore store = RedisSessionStore.create(settings);
                 HealthRegistry registry = HealthRegistry.create()) {
                registry.readiness("redis-sessions", store.readinessCheck(), CheckOptions.builder()
                        .interval(Duration.ofMillis(200)).timeout(Duration.ofMillis(500))
                        .required(settings.required()).build());
                registry.start();
                registry.markStarted();
                await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).isUp());
                redis.pause();
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> !registry.report(Probe.READINESS).isUp());
                } finally {
                    redis.resume();
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> registry.report(Probe.READINESS).isUp());
            }
        }
    }
}
