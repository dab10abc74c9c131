package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cut-over from sticky sessions: an old instance running this build in mirror mode and a new pod in redis
 * mode share traffic, and a user moving between them in either direction stays logged in.
 */
class MirrorModeIT {

    static RedisServer redis;
    static RedisSessionStore oldStore;
    static RedisSessionStore newStore;
    static TestApp oldInstance;
    static TestApp newPod;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        SessionSettings mirror = SessionSettings.builder().redisUri(redis.uri()).mode(SessionSettings.Mode.MIRROR)
                .commandTimeout(Duration.ofSeconds(1)).build();
        SessionSettings redisOnly = SessionSettings.builder().redisUri(redis.uri()).commandTimeout(Duration.ofSeconds(1))
                .build();
        oldStore = RedisSessionStore.create(mirror);
        newStore = RedisSessionStore.create(redisOnly);
        oldInstance = new TestApp(new SessionFilter(oldStore, mirror));
        newPod = new TestApp(new SessionFilter(newStore, redisOnly));
    }

    @AfterAll
    static void stop() throws Exception {
        oldInstance.close();
        newPod.close();
        oldStore.close();
        newStore.close();
        redis.close();
    }

    @Test
    void aSessionStartedOnTheOldInstanceContinuesOnTheNewPod() throws Exception {
        Browser b = new Browser();
        assertThat(b.get(oldInstance.base() + "/login?user=ada").status()).isEqualTo(200);
        assertThat(b.get(oldInstance.base() + "/counter").body()).isEqualTo("1");
        assertThat(b.get(oldInstance.base() + "/counter").body()).isEqualTo("2");
        assertThat(b.cookies).containsKeys("JSESSIONID", "SESSION");

        assertThat(b.get(newPod.base() + "/whoami").body()).isEqualTo("ada");
        assertThat(b.get(newPod.base() + "/counter").body()).isEqualTo("3");
    }

    @Test
    void aSessionTheOldInstanceDoesNotHoldIsServedFromRedisAndThenHeldByTheContainer() throws Exception {
        Browser b = new Browser();
        assertThat(b.get(newPod.base() + "/login?user=grace").status()).isEqualTo(200);
        assertThat(b.get(newPod.base() + "/counter").body()).isEqualTo("1");
        assertThat(b.cookies).doesNotContainKey("JSESSIONID");

        assertThat(b.get(oldInstance.base() + "/whoami").body()).isEqualTo("grace");
        assertThat(b.cookies).containsKey("JSESSIONID");
        assertThat(b.get(oldInstance.base() + "/counter").body()).isEqualTo("2");
        assertThat(b.get(oldInstance.base() + "/counter").body()).isEqualTo("3");
        // Mirrored back: the new pod sees what the old instance wrote.
        assertThat(b.get(newPod.base() + "/counter").body()).isEqualTo("4");
    }

    @Test
    void internalMirrorAttributesAreHiddenFromTheApplication() throws Exception {
        Browser b = new Browser();
        b.get(oldInstance.base() + "/set?name=colour&value=blue");
        assertThat(b.get(oldInstance.base() + "/names").body()).isEqualTo("colour");
    }

    @Test
    void logoutOnTheOldInstanceEndsTheSessionEverywhere() throws Exception {
        Browser b = new Browser();
        b.get(oldInstance.base() + "/login?user=alan");
        String redisId = b.cookies.get("SESSION");
        assertThat(b.get(newPod.base() + "/whoami").body()).isEqualTo("alan");
        b.get(oldInstance.base() + "/logout");

        Browser stale = new Browser();
        stale.cookies.put("SESSION", redisId);
        assertThat(stale.get(newPod.base() + "/whoami").body()).isEqualTo("none");
        assertThat(stale.get(oldInstance.base() + "/whoami").body()).isEqualTo("none");
    }
}
