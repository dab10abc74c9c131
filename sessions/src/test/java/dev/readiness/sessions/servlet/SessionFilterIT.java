package dev.readiness.sessions.servlet;

import dev.readiness.sessions.CommandStats;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SessionFilterIT {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    static RedisServer redis;
    static RedisSessionStore store;
    static TestApp app;
    static final AtomicLong clockOffset = new AtomicLong();
    static final AtomicInteger lastRequestCommands = new AtomicInteger(-1);

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).maxSize(8192).nearCache(false)
                .commandTimeout(COMMAND_TIMEOUT).refreshThreshold(Duration.ofSeconds(60)).build();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plusMillis(clockOffset.get());
            }
        };
        SessionEvents events = new SessionEvents() {
            @Override
            public void requestCompleted(int commands) {
                lastRequestCommands.set(commands);
            }
        };
        store = RedisSessionStore.create(settings, settings.createCodec(), events, clock);
        app = new TestApp(new SessionFilter(store, settings, events, new SessionIds(), clock));
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        store.close();
        redis.close();
    }

    @BeforeEach
    void reset() throws Exception {
        redis.command("FLUSHALL");
        CommandStats.reset(redis);
        clockOffset.set(0);
    }

    String url(String path) {
        return app.base() + path;
    }

    @Test
    void theSessionCookieIsHttpOnlySecureLaxAndScopedToTheContext() throws Exception {
        Browser b = new Browser();
        Browser.Reply r = b.get(url("/counter"));
        assertThat(r.status()).isEqualTo(200);
        String cookie = r.setCookies().stream().filter(c -> c.startsWith("SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Secure").containsIgnoringCase("SameSite=Lax").contains("Path=/");
        assertThat(SessionIds.isWellFormed(b.cookies.get("SESSION"))).isTrue();
    }

    @Test
    void aMutatingRequestIsOneLoadAndOneWriteAndTheCounterSurvives() throws Exception {
        Browser b = new Browser();
        assertThat(b.get(url("/counter")).body()).isEqualTo("1");
        assertThat(b.get(url("/counter")).body()).isEqualTo("2"); // also loads the script once
        CommandStats.reset(redis);
        assertThat(b.get(url("/counter")).body()).isEqualTo("3");
        Map<String, Long> calls = CommandStats.read(redis);
        assertThat(calls).containsEntry("hgetall", 1L).containsEntry("evalsha", 2L);
        assertThat(CommandStats.loads(calls)).isEqualTo(1);
        assertThat(CommandStats.sentByClient(calls)).isEqualTo(2);
        assertThat(lastRequestCommands.get()).isEqualTo(2);
    }

    @Test
    void aReadOnlyRequestIsOneCommandAndWritesNothingUntilTheRefreshIsDue() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        CommandStats.reset(redis);
        for (int i = 0; i < 5; i++) {
            assertThat(b.get(url("/read")).body()).isEqualTo("1");
        }
        Map<String, Long> reads = CommandStats.read(redis);
        assertThat(CommandStats.loads(reads)).isEqualTo(5);
        assertThat(CommandStats.writes(reads)).isZero();
        assertThat(reads).containsEntry("hgetall", 5L).doesNotContainKeys("hset", "pexpire");

        clockOffset.set(Duration.ofSeconds(61).toMillis()); // the last write is now older than the threshold
        CommandStats.reset(redis);
        b.get(url("/read"));
        b.get(url("/read"));
        Map<String, Long> calls = CommandStats.read(redis);
        assertThat(CommandStats.writes(calls)).as("one refresh, then throttled again").isEqualTo(1L);
        assertThat(calls).containsEntry("hgetall", 2L);
    }

    @Test
    void aRequestThatNeverTouchesItsSessionMakesNoRedisCall() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        CommandStats.reset(redis);
        assertThat(b.get(url("/plain")).body()).isEqualTo("hello");
        assertThat(CommandStats.read(redis)).isEmpty();
        assertThat(lastRequestCommands.get()).isZero();
    }

    @Test
    void forgedMalformedAndOversizedCookiesGetANewSessionNeverAnError() throws Exception {
        List<String> hostile = List.of(new SessionIds().next(), "abc", "x".repeat(4000), "\"quoted\"",
                "aaaa%0d%0aSET%20x%201aaaaaaa", "{tag}aaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaa*", "");
        for (String value : hostile) {
            Browser b = new Browser();
            b.cookies.put("SESSION", value);
            Browser.Reply r = b.get(url("/counter"));
            assertThat(r.status()).as("cookie %s", value).isEqualTo(200);
            assertThat(r.body()).isEqualTo("1");
            assertThat(b.cookies.get("SESSION")).isNotEqualTo(value).matches(SessionIds::isWellFormed);
        }
        assertThat(Long.parseLong(redis.command("DBSIZE").substring(1))).isEqualTo(hostile.size());
    }

    @Test
    void loginChangesTheIdAndTheOldIdIsDead() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        String before = b.cookies.get("SESSION");
        String after = b.get(url("/login?user=ada")).body();
        assertThat(after).isNotEqualTo(before).isEqualTo(b.cookies.get("SESSION"));
        assertThat(b.get(url("/whoami")).body()).isEqualTo("ada");
        assertThat(b.get(url("/read")).body()).as("attributes move with the session").isEqualTo("1");

        Browser attacker = new Browser();
        attacker.cookies.put("SESSION", before);
        assertThat(attacker.get(url("/whoami")).body()).isEqualTo("none");
    }

    @Test
    void logoutDeletesTheSessionAndExpiresTheCookie() throws Exception {
        Browser b = new Browser();
        b.get(url("/login?user=ada"));
        String id = b.cookies.get("SESSION");
        Browser.Reply r = b.get(url("/logout"));
        assertThat(r.setCookies()).anyMatch(c -> c.startsWith("SESSION=;") && (c.contains("Max-Age=0") || c.contains("Expires=Thu, 01 Jan 1970")));
        Browser stale = new Browser();
        stale.cookies.put("SESSION", id);
        assertThat(stale.get(url("/whoami")).body()).isEqualTo("none");
    }

    @Test
    void parallelRequestsOnOneSessionChangingDifferentAttributesAllPersist() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        String cookie = b.cookies.get("SESSION");
        int threads = 6;
        int perThread = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    Browser mine = new Browser();
                    mine.cookies.put("SESSION", cookie);
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        ok += mine.get(url("/set?name=t" + thread + "-" + i + "&value=v")).status() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(perThread);
            }
        } finally {
            pool.shutdownNow();
        }
        String names = b.get(url("/names")).body();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(names.split(",")).contains("t" + t + "-" + i);
            }
        }
        assertThat(b.get(url("/read")).body()).isEqualTo("1");
    }

    @Test
    void anOversizedSessionIsAClearErrorToTheApplicationAndTheSessionStaysUsable() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        Browser.Reply r = b.get(url("/big?bytes=20000"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains("readiness.sessions.max-size=8192");
        assertThat(b.get(url("/counter")).body()).isEqualTo("2");
        assertThat(b.get(url("/big?bytes=1000")).body()).isEqualTo("stored");
    }

    @Test
    void aHungRedisAnswers503WithinTheCommandTimeoutAndRequestsWithoutSessionsStillWork() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        redis.pause();
        try {
            Browser.Reply r = b.get(url("/counter"));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).contains("session store unavailable");
            // One command timeout and a margin for a busy machine; a second timed-out command would exceed it.
            assertThat(r.took()).isLessThan(COMMAND_TIMEOUT.plus(Duration.ofMillis(1500)));
            assertThat(b.get(url("/plain")).status()).isEqualTo(200);
        } finally {
            redis.resume();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> b.get(url("/read")).status() == 200);
        assertThat(b.get(url("/read")).body()).as("the failed write did not happen").isEqualTo("1");
    }

    @Test
    void aStoredSessionOverTheLoadBoundIsA503ThatKeepsTheCookieAndLeavesTheSessionAsItWas() throws Exception {
        Browser b = new Browser();
        b.get(url("/counter"));
        String id = b.cookies.get("SESSION");
        String key = SessionIds.key("readiness:session:", id);
        redis.command("HSET", key, "a:blob", "x".repeat(20000)); // another client's write: over 2 x max-size
        Browser.Reply r = b.get(url("/counter"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("session store unavailable");
        assertThat(r.setCookies()).as("the cookie still names the stored session").noneMatch(c -> c.startsWith("SESSION="));
        assertThat(b.get(url("/plain")).status()).isEqualTo(200);
        assertThat(redis.command("HSTRLEN", key, "a:blob")).isEqualTo(":20000");
        redis.command("HDEL", key, "a:blob"); // once it is back within the bounds, the session is served again
        assertThat(b.get(url("/counter")).body()).isEqualTo("2");
    }
}
