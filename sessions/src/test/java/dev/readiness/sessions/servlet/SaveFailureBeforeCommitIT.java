package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A save that fails while the response is still uncommitted is a 503, now that the save runs at the first operation
 * that could commit: Redis stops answering between the request's load and its save.
 */
class SaveFailureBeforeCommitIT {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    static RedisServer redis;
    static final List<AutoCloseable> open = new ArrayList<>();
    static final Map<ServletContainer, Integer> ports = new EnumMap<>(ServletContainer.class);
    static volatile CountDownLatch loaded;
    static volatile CountDownLatch proceed;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).commandTimeout(COMMAND_TIMEOUT).build();
        for (ServletContainer container : ServletContainer.values()) {
            RedisSessionStore store = RedisSessionStore.create(settings);
            open.add(store);
            ServletContainer.Running running = container.start(new SessionFilter(store, settings), new GatedServlet());
            open.add(0, running);
            ports.put(container, running.port());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static Stream<Arguments> paths() {
        return Stream.of(ServletContainer.values()).flatMap(c -> Stream.of("content-length", "writer-then-write-again",
                "async").map(p -> Arguments.of(c, p)));
    }

    @ParameterizedTest(name = "{0} /{1}")
    @MethodSource("paths")
    void aSaveThatFailsBeforeTheResponseCommitsAnswers503WithinOneCommandTimeout(ServletContainer container, String path)
            throws Exception {
        try (NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(5), true)) {
            int port = ports.get(container);
            NoRetryHttpClient.Response first = http.get(port, "/" + path, Duration.ofSeconds(30));
            assertThat(first.status()).isEqualTo(200);
            String cookie = first.header("set-cookie").split(";", 2)[0];
            Map<String, String> headers = Map.of("Cookie", cookie);

            loaded = new CountDownLatch(1);
            proceed = new CountDownLatch(1);
            CompletableFuture<NoRetryHttpClient.Response> failing = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.get(port, "/" + path, headers, Duration.ofSeconds(30));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(loaded.await(10, TimeUnit.SECONDS)).as("the request loaded its session").isTrue();
            redis.pause();
            long t0 = System.nanoTime();
            try {
                proceed.countDown();
                NoRetryHttpClient.Response r = failing.get(30, TimeUnit.SECONDS);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(r.text()).isEqualTo("session store unavailable\n");
                // One save attempt, even where the application writes again after the failed one.
                assertThat(took).isLessThan(COMMAND_TIMEOUT.plus(Duration.ofMillis(1500)));
            } finally {
                redis.resume();
            }
            loaded = null;
            // The timed-out save was on the wire: Redis may still apply it as it resumes. A 503 never claims it was.
            assertThat(http.get(port, "/" + path, headers, Duration.ofSeconds(30)).status()).isEqualTo(200);
        }
    }

    /** Increments {@code n} like {@link CommitPathServlet}; between its load and its save it waits for the test. */
    static final class GatedServlet extends HttpServlet {

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String path = req.getRequestURI().substring(1);
            if (path.equals("async")) {
                AsyncContext ctx = req.startAsync();
                ctx.start(() -> {
                    HttpServletRequest q = (HttpServletRequest) ctx.getRequest();
                    HttpSession s = q.getSession();
                    int next = next(s);
                    gate();
                    s.setAttribute("n", next);
                    ((HttpServletResponse) ctx.getResponse()).setHeader("X-Counter", Integer.toString(next));
                    ctx.complete();
                });
                return;
            }
            HttpSession s = req.getSession();
            int next = next(s);
            gate();
            s.setAttribute("n", next);
            resp.setHeader("X-Counter", Integer.toString(next));
            byte[] body = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
            if (path.equals("content-length")) {
                resp.setContentLength(body.length);
                resp.getOutputStream().write(body);
            } else {
                // An application that carries on after the failed write and writes once more.
                try {
                    resp.getWriter().print("a body");
                } catch (RuntimeException ignored) {
                    // swallowed, as careless code does
                }
                resp.getWriter().print("more");
            }
        }

        private static int next(HttpSession s) {
            return (s.getAttribute("n") instanceof Integer n ? n : 0) + 1;
        }

        private static void gate() {
            CountDownLatch l = loaded;
            if (l == null) {
                return;
            }
            l.countDown();
            try {
                proceed.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
