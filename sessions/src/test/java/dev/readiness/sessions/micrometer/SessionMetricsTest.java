package dev.readiness.sessions.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionMetricsTest {

    @Test
    void eventsBecomeReadinessSessionsMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics();
        metrics.loaded(1_000_000, 10); // before binding: not recorded, no error
        metrics.bindTo(registry);
        metrics.loaded(2_000_000, 120);
        metrics.saved(3_000_000, 40);
        metrics.requestCompleted(2);
        metrics.requestCompleted(1);
        metrics.decodeFailed("cart", new IllegalStateException());
        metrics.failed("load", new IllegalStateException());

        assertThat(registry.get("readiness.sessions.load").timer().count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.save").timer().count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.redis.commands").summary().mean()).isEqualTo(1.5);
        assertThat(registry.get("readiness.sessions.payload").tag("op", "load").summary().totalAmount()).isEqualTo(120);
        assertThat(registry.get("readiness.sessions.decode.failures").counter().count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.redis.errors").tag("op", "load").counter().count()).isEqualTo(1);
    }

    @Test
    void nearCacheEventsAreCountedByEventAndUnknownOnesAreIgnored() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics();
        metrics.nearCache("hit"); // before binding: not recorded
        metrics.bindTo(registry);
        metrics.nearCache("hit");
        metrics.nearCache("hit");
        metrics.nearCache("miss");
        metrics.nearCache("invalidation");
        metrics.nearCache("something-new");
        assertThat(registry.get("readiness.sessions.near.cache").tag("event", "hit").counter().count()).isEqualTo(2);
        assertThat(registry.get("readiness.sessions.near.cache").tag("event", "miss").counter().count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.near.cache").tag("event", "invalidation").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("readiness.sessions.near.cache").tag("event", "flush").counter().count()).isZero();
        assertThat(registry.find("readiness.sessions.near.cache").tag("event", "something-new").counter()).isNull();
    }

    @Test
    void redisFailuresAreCountedByKindAndRefusalsByReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics();
        metrics.bindTo(registry);
        metrics.failed("save", "redis-error", new RuntimeException("WRONGTYPE"));
        metrics.failed("load", "timeout", new RuntimeException());
        metrics.failed("connect", new RuntimeException()); // no kind said: a connection that could not be made
        metrics.refused("load-size");
        metrics.refused("load-size");
        metrics.refused("not-a-reason"); // ignored, as unknown near-cache events are
        assertThat(registry.get("readiness.sessions.redis.errors").tags("op", "save", "kind", "redis-error").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.redis.errors").tags("op", "load", "kind", "timeout").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.redis.errors").tags("op", "connect", "kind", "connection")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("readiness.sessions.refused").tag("reason", "load-size").counter().count()).isEqualTo(2);
        assertThat(registry.get("readiness.sessions.refused").tag("reason", "save-attributes").counter().count())
                .isZero();
        assertThat(registry.find("readiness.sessions.refused").tag("reason", "not-a-reason").counter()).isNull();
    }

    @Test
    void writesFewerReplicasConfirmedAreCountedByReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SessionMetrics metrics = new SessionMetrics();
        metrics.unconfirmed("short"); // before binding: not recorded
        metrics.bindTo(registry);
        metrics.unconfirmed("short");
        metrics.unconfirmed("skipped");
        metrics.unconfirmed("skipped");
        metrics.unconfirmed("not-a-reason");
        assertThat(registry.get("readiness.sessions.redis.unconfirmed").tag("reason", "short").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("readiness.sessions.redis.unconfirmed").tag("reason", "skipped").counter().count())
                .isEqualTo(2);
        assertThat(registry.find("readiness.sessions.redis.unconfirmed").tag("reason", "not-a-reason").counter())
                .isNull();
    }
}
