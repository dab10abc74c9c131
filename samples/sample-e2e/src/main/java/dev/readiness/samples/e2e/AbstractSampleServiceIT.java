package dev.readiness.samples.e2e;

import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.SessionAlternation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sample as a real process: every endpoint of the contract, sessions in a real Redis, the development run's
 * Redis, the production jar without one (unready, saying so), the jar's contents, and the drain on a real
 * SIGTERM. Each sample extends it with its {@link SampleDescriptor}; the
 * subclass's name ends in {@code IT} so that the sample's Failsafe runs it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractSampleServiceIT extends AbstractSampleIT {

    private static RedisServer redis;
    /** Two instances per session mode, started by the first test that needs them and shared by the others. */
    private static final Map<String, Instances> INSTANCES = new HashMap<>();

    @BeforeAll
    protected static void redis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    protected static void stopRedis() throws InterruptedException {
        // Every shared instance drains at the same time: one propagation delay in all, not one per instance.
        INSTANCES.values().forEach(Instances::sigterm);
        for (Instances i : INSTANCES.values()) {
            i.close();
        }
        INSTANCES.clear();
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Two instances of the sample on the one redis-server, with {@code READINESS_SESSIONS_MODE=mode}, and the
     * cookie jar of the one browser that alternates between them. The processes outlive a test; the browser
     * does not: {@link #newBrowser()} empties the jar.
     */
    private record Instances(SampleProcess first, SampleProcess second, CookieManager browser)
            implements AutoCloseable {

        void sigterm() {
            first.sigterm();
            second.sigterm();
        }

        Instances newBrowser() {
            browser.getCookieStore().removeAll();
            return this;
        }

        @Override
        public void close() throws InterruptedException {
            try (first; second) {
                // both stopped, the second even when stopping the first failed
            }
        }
    }

    private Instances instances(String mode) throws Exception {
        Instances running = INSTANCES.get(mode);
        if (running == null || !running.first().isAlive() || !running.second().isAlive()) {
            if (running != null) {
                running.close();
            }
            CookieManager browser = new CookieManager();
            Map<String, String> env = Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_SESSIONS_MODE", mode);
            SampleProcess first = start(env, browser);
            SampleProcess second;
            try {
                second = start(env, browser);
            } catch (Exception e) {
                first.close();
                throw e;
            }
            running = new Instances(first, second, browser);
            try {
                awaitServing(first);
                awaitServing(second);
            } catch (RuntimeException | Error e) {
                running.close();
                throw e;
            }
            INSTANCES.put(mode, running);
        }
        return running.newBrowser();
    }

    /** The browser's cookies as it would send them, kept to be replayed by hand. */
    private static String cookieHeader(CookieManager browser) {
        return browser.getCookieStore().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    private static List<String> cookieNames(CookieManager browser) {
        return browser.getCookieStore().getCookies().stream().map(HttpCookie::getName).toList();
    }

    @Test
    protected void servesEveryEndpointOfTheContract() throws Exception {
        Path config = Files.createTempDirectory("config");
        new KubeletAtomicWriter(config).write(Map.of("greeting", "hello\n", "app.properties", "feature.new-checkout=false\n"));
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", config.toString()))) {
            awaitServing(app);

            assertThat(app.get("/").body()).isEqualTo(sample().greeting());
            assertThat(app.get("/session/read").body()).isEqualTo("0");
            assertThat(app.get("/session/counter").body()).isEqualTo("1");
            assertThat(app.get("/session/counter").body()).isEqualTo("2");
            assertThat(app.get("/session/read").body()).isEqualTo("2");
            assertThat(app.get("/session/read").body()).isEqualTo("2");

            long t0 = System.nanoTime();
            SampleProcess.Answer slow = app.get("/slow?ms=300");
            assertThat(slow.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(app.get("/slow?ms=banana").statusCode()).isEqualTo(400);
            assertThat(app.get("/slow?ms=-1").statusCode()).isEqualTo(400);
            assertThat(app.get("/slow?ms=60001").statusCode()).isEqualTo(400);
            assertThat(app.get("/slow").statusCode()).isEqualTo(400);

            assertThat(app.get("/config/greeting")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello");
            });
            assertThat(app.get("/config/feature.new-checkout").body()).isEqualTo("false");
            assertThat(app.get("/config/absent").statusCode()).isEqualTo(404);
            assertThat(app.get("/config/..data").statusCode()).isEqualTo(404);
            // An encoded traversal is refused by the server (400) or is no key (404); never a file outside the directory.
            assertThat(app.get("/config/%2e%2e%2fetc%2fpasswd").statusCode()).isIn(400, 404);
            assertThat(app.get("/nothing-here").statusCode()).isEqualTo(404);

            assertThat(app.log()).doesNotContain("development Redis");
            // Started through the gc-tuning entrypoint, which printed the options it chose for a 768Mi pod.
            assertThat(app.log()).contains("readiness-gc: ").contains("-Xmx").contains("-XX:+ExitOnOutOfMemoryError");
        }
    }

    @Test
    protected void anyInstanceServesTheSessionBecauseItLivesInRedis() throws Exception {
        redis.command("FLUSHALL");
        CookieManager browser = new CookieManager();
        Map<String, String> env = Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri());
        try (SampleProcess first = start(env, browser);
             SampleProcess second = start(env, browser)) {
            awaitServing(first);
            awaitServing(second);
            assertThat(first.get("/session/counter").body()).isEqualTo("1");
            assertThat(first.get("/session/counter").body()).isEqualTo("2");
            assertThat(redis.command("KEYS", "*")).contains("readiness:session:");
            // The same browser, routed to another instance: the same session, no stickiness needed.
            assertThat(second.get("/session/read").body()).isEqualTo("2");
            assertThat(second.get("/session/counter").body()).isEqualTo("3");
            // The first instance goes away (a scale-in, a rollout): the session survives it.
            first.sigterm();
            first.awaitExit(Duration.ofSeconds(60));
            assertThat(second.get("/session/read").body()).isEqualTo("3");
        }
    }

    /**
     * The promise of sessions in Redis: once a response arrived, any instance serves the next request with that
     * response's session. One user alternating between two instances, each request sent the moment the previous
     * answer arrived, never reads an older counter than its last answer.
     */
    @Test
    protected void aUserAlternatingBetweenTwoInstancesBackToBackNeverReadsAStaleSession() throws Exception {
        redis.command("FLUSHALL");
        Map<String, String> env = Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri());
        try (SampleProcess first = start(env);
             SampleProcess second = start(env)) {
            awaitServing(first);
            awaitServing(second);
            SessionAlternation.Result result = SessionAlternation.onLoopback(SessionAlternation.BODY,
                    first.port(), second.port()).run("/session/counter", 2_000, 200);
            assertThat(result.clean()).as("%s", result).isTrue();
        }
    }

    @Test
    protected void logoutEndsTheSessionForGoodOnEitherInstanceInRedisMode() throws Exception {
        Instances two = instances("redis");
        logOut(two, two.first(), two.first());
        logOut(two.newBrowser(), two.first(), two.second());
    }

    @Test
    protected void logoutEndsTheSessionForGoodOnEitherInstanceInMirrorMode() throws Exception {
        Instances two = instances("mirror");
        logOut(two, two.first(), two.first());
        logOut(two.newBrowser(), two.first(), two.second());
    }

    /**
     * A session used on {@code served}, logged out on {@code loggedOut} (the same instance or the other one): the
     * logout ends it wherever the browser goes next, and the cookies from before it bring nothing back on either
     * instance, so a copy of them (a shared computer, a stolen cookie) is worthless after the logout.
     */
    private void logOut(Instances two, SampleProcess served, SampleProcess loggedOut) throws Exception {
        String where = served == loggedOut ? "on the instance that served the session" : "on the other instance";
        assertThat(served.get("/session/counter").body()).isEqualTo("1");
        assertThat(served.get("/session/counter").body()).isEqualTo("2");
        String before = cookieHeader(two.browser());
        assertThat(cookieNames(two.browser())).contains("SESSION");

        SampleProcess.Answer logout = loggedOut.get("/session/logout");
        assertThat(logout.statusCode()).as("the logout %s", where).isEqualTo(200);
        assertThat(logout.body()).isEqualTo("logged out");
        // Max-Age=0 or an Expires in the past (Jetty and Tomcat each write their own): expired either way.
        assertThat(logout.setCookies().stream().flatMap(c -> HttpCookie.parse(c).stream()))
                .as("the cookies of the logout %s: %s", where, logout.setCookies())
                .anySatisfy(c -> {
                    assertThat(c.getName()).isEqualTo("SESSION");
                    assertThat(c.hasExpired()).isTrue();
                });
        assertThat(cookieNames(two.browser())).doesNotContain("SESSION");

        assertThat(served.get("/session/read").body()).as("the read after the logout %s", where).isEqualTo("0");
        assertThat(served.get("/session/counter").body()).as("the counter after the logout %s", where)
                .isEqualTo("1");

        for (SampleProcess replayedOn : served == loggedOut ? List.of(served) : List.of(served, loggedOut)) {
            assertThat(replayedOn.getWithCookieHeader("/session/read", before).body())
                    .as("after the logout %s, the cookies from before it (%s) replayed on the instance %s", where,
                            before, replayedOn == served ? "that served the session" : "that logged out")
                    .isEqualTo("0");
        }
    }

    @Test
    protected void keepsAListInTheSessionAndRefusesAMissingOrOversizedItem() throws Exception {
        Instances two = instances("redis");
        SampleProcess app = two.first();
        SampleProcess.Answer none = app.get("/session/list");
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        assertThat(none.setCookies()).as("reading the list creates no session").isEmpty();

        assertThat(app.get("/session/list/add")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("item is required");
        });
        assertThat(app.get("/session/list/add?item=").statusCode()).isEqualTo(400);
        assertThat(app.get("/session/list/add?item=%20%20").statusCode()).isEqualTo(400);
        assertThat(app.get("/session/list/add?item=" + "x".repeat(201))).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("at most 200 characters");
        });
        assertThat(cookieNames(two.browser())).as("a refused item creates no session").isEmpty();

        assertThat(app.get("/session/list/add?item=" + "x".repeat(200)).statusCode()).isEqualTo(200);

        two.newBrowser();
        // The request that creates the list is the one that calls setAttribute: saved as any attribute is.
        assertThat(app.get("/session/list/add?item=apple").body()).isEqualTo("apple");
        assertThat(app.get("/session/list").body()).isEqualTo("apple");
        assertThat(two.second().get("/session/list").body()).isEqualTo("apple");
        assertThat(app.getWithCookieHeader("/session/list", "").body()).as("another browser's list").isEmpty();
    }

    @Test
    protected void aListChangedInPlaceIsSavedWhicheverInstanceServesInRedisMode() throws Exception {
        aListChangedInPlaceIsSavedWhicheverInstanceServes("redis");
    }

    @Test
    protected void aListChangedInPlaceIsSavedWhicheverInstanceServesInMirrorMode() throws Exception {
        aListChangedInPlaceIsSavedWhicheverInstanceServes("mirror");
    }

    /**
     * Code written for in-memory sessions changes a mutable attribute in place and never calls setAttribute
     * again. The change must reach Redis all the same, or the next instance serves the list as it was first set.
     */
    private void aListChangedInPlaceIsSavedWhicheverInstanceServes(String mode) throws Exception {
        Instances two = instances(mode);
        List<String> answers = new ArrayList<>();
        answers.add(body(two.first().get("/session/list/add?item=a")));
        answers.add(body(two.second().get("/session/list/add?item=b")));
        answers.add(body(two.first().get("/session/list/add?item=c")));
        answers.add(body(two.second().get("/session/list")));
        answers.add(body(two.first().get("/session/list")));
        assertThat(answers).as("add a on the first instance, b on the second, c on the first, then the list on the"
                + " second and on the first, mode %s", mode).containsExactly("a", "a,b", "a,b,c", "a,b,c", "a,b,c");
    }

    private static String body(SampleProcess.Answer answer) {
        return answer.statusCode() == 200 ? answer.body() : "status " + answer.statusCode() + ": " + answer.body();
    }

    @Test
    protected void showsAConfigMapUpdateDoneTheKubeletsWay() throws Exception {
        Path config = Files.createTempDirectory("config");
        KubeletAtomicWriter kubelet = new KubeletAtomicWriter(config);
        kubelet.write(Map.of("greeting", "hello\n"));
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", config.toString()))) {
            awaitServing(app);
            assertThat(app.get("/config/greeting").body()).isEqualTo("hello");
            assertThat(app.get("/config/farewell").statusCode()).isEqualTo(404);

            kubelet.write(Map.of("greeting", "bonjour\n", "farewell", "au revoir\n"));
            // The watcher applies a ..data swap within milliseconds; the bound only absorbs a loaded machine.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.get("/config/greeting").body().equals("bonjour"));
            assertThat(app.get("/config/farewell").body()).isEqualTo("au revoir");

            kubelet.write(Map.of("farewell", "au revoir\n"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.get("/config/greeting").statusCode() == 404);
            assertThat(app.get("/config/farewell").body()).isEqualTo("au revoir");
        }
    }

    @Test
    protected void refusesToStartWithoutItsConfigMapDirectory() throws Exception {
        Path missing = Files.createTempDirectory("config").resolve("not-mounted");
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", missing.toString()))) {
            assertThat(app.awaitExit(sample().startTimeout())).isNotZero();
            assertThat(app.log()).contains(missing.toString());
        }
    }

    /** The main class of the sample's development run, in its test sources ({@code samples/run.sh} starts it). */
    protected abstract String developmentMain();

    @Test
    protected void theDevelopmentRunStartsARedisWhenNoneIsConfiguredAndSaysSo() throws Exception {
        try (SampleProcess app = SampleProcess.startDevelopment(jar(), developmentMain(), Map.of())) {
            awaitServing(app);
            assertThat(app.log()).contains("READINESS_SESSIONS_REDIS_URI is not set: started a local development Redis at redis://127.0.0.1:");
            assertThat(app.get("/session/counter").body()).isEqualTo("1");
            assertThat(app.get("/session/read").body()).isEqualTo("1");
            awaitAlive(app, () -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
            app.sigterm();
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isEqualTo(sample().exitAfterSigterm());
            assertThat(app.log()).contains("stopping the development Redis");
        }
    }

    @Test
    protected void theJarWithoutARedisStartsSaysSoInOneLineAndStaysUnready() throws Exception {
        try (SampleProcess app = start(Map.of())) {
            awaitAlive(app, () -> app.statusOrMinusOne(app.managementPort(), "/startupz") == 200);
            assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> app.management("/readyz").statusCode() == 503);
            // One WARN line at start; the registry's own line for the DOWN check may quote the reason too.
            List<String> lines = app.log().lines()
                    .filter(l -> l.contains("WARN") && l.contains("no Redis is configured")).toList();
            assertThat(lines).as("the log:%n%s", app.log()).hasSize(1);
            assertThat(lines.get(0)).contains("READINESS_SESSIONS_REDIS_URI", "redis://", "unready");
            assertThat(app.log()).doesNotContain("development Redis at");
        }
    }

    /**
     * The jar a team ships holds nothing for development or tests: no testkit, no embedded Redis (nor its
     * redis-server binaries), no test framework.
     */
    @Test
    protected void theJarHoldsNoDevelopmentRedisAndNoTestCode() throws Exception {
        List<String> entries;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(jar().toFile())) {
            entries = jar.stream().map(java.util.jar.JarEntry::getName).toList();
        }
        List<String> libraries = entries.stream().filter(e -> e.endsWith(".jar")).toList();
        System.out.printf("%s: %d entries, %d libraries: %s%n", jar().getFileName(), entries.size(),
                libraries.size(), libraries.stream().map(l -> l.substring(l.lastIndexOf('/') + 1))
                        .collect(Collectors.joining(" ")));
        assertThat(entries).hasSizeGreaterThan(100);
        List<String> forbidden = List.of("readiness-testkit", "dev/readiness/testkit/", "embedded-redis",
                "redis/embedded/", "redis-server", "junit", "opentest4j", "assertj", "awaitility", "archunit",
                "mockito", "sample-e2e", "dev/readiness/samples/e2e/", "DevRedis", "DevSpringBootService",
                "DevServletService");
        for (String f : forbidden) {
            assertThat(entries).as("entries of %s naming %s", jar(), f)
                    .noneMatch(e -> e.toLowerCase(java.util.Locale.ROOT).contains(f.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    @Test
    protected void probesFollowTheServiceThroughStartSteadyStateAndDrain() throws Exception {
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(),
                "READINESS_DRAIN_PROPAGATION_DELAY", "3s", "READINESS_DRAIN_TIMEOUT", "10s"))) {
            // Start: the startup probe never answers 200 before the service is up (not listening yet, or 503).
            List<Integer> startup = new ArrayList<>();
            awaitAlive(app, () -> {
                int status = app.statusOrMinusOne(app.managementPort(), "/startupz");
                startup.add(status);
                return status == 200;
            });
            assertThat(startup.subList(0, startup.size() - 1)).allMatch(s -> s == -1 || s == 503);
            assertThat(app.get("/").statusCode()).isEqualTo(200);

            // Steady state: all three probes UP, the application serving, metrics on the management port.
            await().atMost(Duration.ofSeconds(30)).until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
            assertThat(app.management("/livez")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"status\":\"UP\"");
            });
            assertThat(app.management("/startupz").statusCode()).isEqualTo(200);
            assertThat(app.management("/metrics").body()).contains("readiness_probe_up").contains("jvm_memory_used_bytes");
            assertThat(app.log()).contains("probes http://localhost:" + app.managementPort() + "/livez")
                    .contains("metrics http://localhost:" + app.managementPort() + "/metrics");

            // Drain: readiness DOWN at once, liveness stays UP, the application keeps serving for the delay.
            app.sigterm();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 503);
            assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            assertThat(app.get("/").statusCode()).isEqualTo(200);
            assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(sample().exitAfterSigterm());
            assertDrainLogged(app.log());
        }
    }

    @Test
    protected void ctrlCDrainsTheWayASigtermDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.readiness.testkit.process.IgnoredSignals.sigint(),
                dev.readiness.testkit.process.IgnoredSignals.sigintMessage());
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_DRAIN_PROPAGATION_DELAY", "1s"))) {
            awaitServing(app);
            app.signal("INT");
            app.awaitExit(Duration.ofSeconds(40));
            assertDrainLogged(app.log());
        }
    }

    @Test
    protected void drainsOnSigtermServingThroughThePropagationDelayAndFinishingInFlightRequests() throws Exception {
        try (SampleProcess app = start(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(),
                "READINESS_DRAIN_PROPAGATION_DELAY", "2s", "READINESS_DRAIN_TIMEOUT", "15s"))) {
            awaitServing(app);
            CompletableFuture<SampleProcess.Answer> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.get("/slow?ms=4000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The request is being served once the server has it; a short pause is the only way to know from outside.
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            app.sigterm();
            // Load balancers still send traffic during the propagation delay: it is served.
            await().atMost(Duration.ofSeconds(10)).until(() -> app.log().contains(sample().drainLog().get(0)));
            assertThat(app.get("/").statusCode()).isEqualTo(200);

            SampleProcess.Answer answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("slept 4000 ms");
            assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(sample().exitAfterSigterm());
            assertDrainLogged(app.log());
        }
    }
}
