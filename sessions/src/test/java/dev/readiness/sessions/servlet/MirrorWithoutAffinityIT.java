package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cut-over without affinity, on real Jetty instances and a real redis-server: two old instances in mirror mode
 * and a new one in redis mode, each request of one user going wherever the test sends it. The browser keeps every
 * cookie it is given, so an old instance sees its own container session's cookie again after the user was served
 * elsewhere: exactly what made an old instance answer from a stale copy and write it over newer data.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MirrorWithoutAffinityIT {

    RedisServer redis;
    int port;
    final List<AutoCloseable> open = new ArrayList<>();
    TestApp oldA;
    TestApp oldB;
    TestApp newPod;
    SessionFilter oldAFilter;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        port = redis.port();
        oldAFilter = filter(SessionSettings.Mode.MIRROR, SessionSettings.SaveMode.CHANGED);
        oldA = app(oldAFilter);
        oldB = app(filter(SessionSettings.Mode.MIRROR, SessionSettings.SaveMode.CHANGED));
        newPod = app(filter(SessionSettings.Mode.REDIS, SessionSettings.SaveMode.CHANGED));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private SessionFilter filter(SessionSettings.Mode mode, SessionSettings.SaveMode save) {
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).mode(mode).saveMode(save)
                .commandTimeout(Duration.ofMillis(500)).nearCache(false).build();
        RedisSessionStore store = RedisSessionStore.create(settings);
        open.add(store);
        return new SessionFilter(store, settings);
    }

    private TestApp app(SessionFilter filter) throws Exception {
        TestApp app = new TestApp(filter);
        open.add(app);
        return app;
    }

    @Test
    void everyAnswerIsThePreviousPlusOneWhereverTheRequestGoes() throws Exception {
        Browser b = new Browser();
        TestApp[] order = {oldA, newPod, oldA, oldB, newPod, newPod, oldB, oldA, oldA, newPod, oldB, oldA};
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < order.length; i++) {
                int expected = round * order.length + i + 1;
                assertThat(b.get(order[i].base() + "/counter").body()).as("request %d", expected)
                        .isEqualTo(Integer.toString(expected));
            }
        }
    }

    @Test
    void aListChangedInPlaceKeepsEveryItemWhereverItIsAppended() throws Exception {
        Browser b = new Browser();
        TestApp[] order = {oldA, newPod, oldB, oldA, newPod, oldA, oldB, newPod};
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            expected.add("item" + i);
            assertThat(b.get(order[i].base() + "/list/add?item=item" + i).body()).isEqualTo(String.join(",", expected));
        }
        for (TestApp app : List.of(oldA, oldB, newPod)) {
            assertThat(b.get(app.base() + "/list").body()).isEqualTo(String.join(",", expected));
        }
    }

    @Test
    void theSetSaveModeLeavesAChangeInPlaceUnsaved() throws Exception {
        // What readiness.sessions.save-mode=changed, the default, is for: the same code on save-mode=set.
        TestApp setOnly = app(filter(SessionSettings.Mode.REDIS, SessionSettings.SaveMode.SET));
        Browser b = new Browser();
        b.get(setOnly.base() + "/list/add?item=a");
        b.get(setOnly.base() + "/list/add?item=b");
        assertThat(b.get(setOnly.base() + "/list").body()).isEqualTo("a");
        assertThat(b.get(newPod.base() + "/list/add?item=c").body()).isEqualTo("a,c");
        assertThat(b.get(newPod.base() + "/list").body()).isEqualTo("a,c");
    }

    @Test
    void aLogoutOnTheNewPodDropsTheOldInstancesCopy() throws Exception {
        Browser b = new Browser();
        b.get(oldA.base() + "/login?user=ada");
        b.get(oldA.base() + "/counter");
        String jsession = b.cookies.get("JSESSIONID");
        String session = b.cookies.get("SESSION");
        b.get(newPod.base() + "/logout");
        assertThat(b.cookies).doesNotContainKey("SESSION");

        // The browser (or an attacker holding its old cookies) comes back to the old instance with both.
        Browser replay = new Browser();
        replay.cookies.put("JSESSIONID", jsession);
        replay.cookies.put("SESSION", session);
        assertThat(replay.get(oldA.base() + "/whoami").body()).isEqualTo("none");
        assertThat(replay.get(oldA.base() + "/read").body()).isEqualTo("none");
        assertThat(replay.get(newPod.base() + "/whoami").body()).isEqualTo("none");
        // The copy is gone from the container too: only its own cookie left, it holds nothing.
        Browser containerOnly = new Browser();
        containerOnly.cookies.put("JSESSIONID", jsession);
        assertThat(containerOnly.get(oldA.base() + "/whoami").body()).isEqualTo("none");
    }

    @Test
    void aNewSessionMadeOnTheNewPodIsNotShadowedByAnOldCopy() throws Exception {
        Browser b = new Browser();
        b.get(oldA.base() + "/login?user=ada");
        b.get(newPod.base() + "/logout");
        b.get(newPod.base() + "/login?user=grace"); // a new SESSION cookie; the old JSESSIONID stays
        assertThat(b.cookies).containsKey("JSESSIONID");
        assertThat(b.get(oldA.base() + "/whoami").body()).isEqualTo("grace");
    }

    @Test
    void twoRequestsOfOneUserOnTwoInstancesAtOnceBothPersist() throws Exception {
        Browser b = new Browser();
        b.get(oldA.base() + "/counter");
        b.get(oldA.base() + "/list/add?item=first");
        int rounds = 15;
        for (int i = 0; i < rounds; i++) {
            String item = "r" + i;
            Browser left = b.copy();
            Browser right = b.copy();
            TestApp counterOn = i % 2 == 0 ? oldA : newPod;
            TestApp listOn = i % 2 == 0 ? newPod : oldB;
            CompletableFuture<Browser.Reply> c = CompletableFuture.supplyAsync(() -> left.unchecked(counterOn.base() + "/counter"));
            CompletableFuture<Browser.Reply> l = CompletableFuture.supplyAsync(() -> right.unchecked(listOn.base() + "/list/add?item=" + item));
            assertThat(c.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(l.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(b.get(newPod.base() + "/read").body()).isEqualTo(Integer.toString(rounds + 1));
        String items = b.get(newPod.base() + "/list").body();
        assertThat(items.split(",")).hasSize(rounds + 1).startsWith("first");
        assertThat(b.get(oldA.base() + "/read").body()).isEqualTo(Integer.toString(rounds + 1));
        assertThat(b.get(oldB.base() + "/list").body()).isEqualTo(items);
    }

    @Test
    void whileRedisIsDownTheOldInstanceServesFromItsCopyAndWritesTheChangesBackAfter() throws Exception {
        Browser b = new Browser();
        assertThat(b.get(oldA.base() + "/counter").body()).isEqualTo("1");
        assertThat(b.get(oldA.base() + "/list/add?item=before").body()).isEqualTo("before");
        Browser leaving = new Browser();
        leaving.get(oldA.base() + "/login?user=alan");
        String leavingId = leaving.cookies.get("SESSION");

        redis.command("SAVE"); // Redis comes back with its data, as a restarted or failed-over Redis does
        java.nio.file.Path data = redis.directory();
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.get(newPod.base() + "/read").status() == 503);
        for (int i = 2; i <= 6; i++) {
            Browser.Reply r = b.get(oldA.base() + "/counter");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Integer.toString(i));
        }
        assertThat(b.get(oldA.base() + "/list/add?item=during").body()).isEqualTo("before,during");
        assertThat(leaving.get(oldA.base() + "/logout").status()).isEqualTo(200);
        Browser newcomer = new Browser();
        assertThat(newcomer.get(oldA.base() + "/counter").body()).isEqualTo("1");
        assertThat(oldAFilter.servedFromContainer()).isGreaterThanOrEqualTo(8);
        // The logged-out cookie, replayed: this instance knows it ended it; no session, not a 503.
        Browser replayDuring = new Browser();
        replayDuring.cookies.put("SESSION", leavingId);
        assertThat(replayDuring.get(oldA.base() + "/whoami").body()).isEqualTo("none");
        // A session this instance never held cannot be served while Redis is down: 503, as in redis mode.
        Browser stranger = new Browser();
        stranger.cookies.put("SESSION", new dev.readiness.sessions.SessionIds().next());
        assertThat(stranger.get(oldA.base() + "/whoami").status()).isEqualTo(503);

        redis = RedisServer.start(port, "--dir", data.toString());
        assertThat(redis.command("EXISTS", dev.readiness.sessions.SessionIds.key("readiness:session:", leavingId)))
                .isEqualTo(":1");
        // Redis holds the counter at 1; the old instance's first request that reaches it writes what it kept.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            b.get(oldA.base() + "/read");
            return "6".equals(b.get(newPod.base() + "/read").body());
        });
        assertThat(b.get(newPod.base() + "/list").body()).isEqualTo("before,during");
        assertThat(b.get(newPod.base() + "/counter").body()).isEqualTo("7");
        assertThat(b.get(oldA.base() + "/counter").body()).isEqualTo("8");
        assertThat(newcomer.get(oldA.base() + "/counter").body()).isEqualTo("2");
        assertThat(newcomer.get(newPod.base() + "/counter").body()).isEqualTo("3");
        // The logout made during the outage holds everywhere once Redis is back.
        Browser replay = new Browser();
        replay.cookies.put("SESSION", leavingId);
        assertThat(replay.get(newPod.base() + "/whoami").body()).isEqualTo("none");
    }
}
