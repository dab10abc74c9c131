package dev.readiness.sessions.servlet;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.SessionAlternation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The save completes before the response can reach the client, whichever way the response commits: on two real
 * instances of each container on one real redis-server, one user alternating between them back to back never
 * reads a session older than the last answer it received.
 */
class SaveBeforeCommitIT {

    static final int REQUESTS = 2_000;

    static RedisServer redis;
    static final List<AutoCloseable> open = new ArrayList<>();
    static final Map<ServletContainer, int[]> ports = new EnumMap<>(ServletContainer.class);

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        SessionSettings settings = SessionSettings.builder().redisUri(redis.uri()).build();
        for (ServletContainer container : ServletContainer.values()) {
            int[] p = new int[2];
            for (int i = 0; i < p.length; i++) {
                // Each instance with its own store and connection, as two processes would have.
                RedisSessionStore store = RedisSessionStore.create(settings);
                open.add(store);
                ServletContainer.Running running = container.start(new SessionFilter(store, settings),
                        new CommitPathServlet());
                open.add(0, running);
                p[i] = running.port();
            }
            ports.put(container, p);
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

    static Stream<Arguments> matrix() {
        return Stream.of(ServletContainer.values())
                .flatMap(c -> CommitPathServlet.PATHS.stream().map(p -> Arguments.of(c, p)));
    }

    @ParameterizedTest(name = "{0} /{1}")
    @MethodSource("matrix")
    void aUserAlternatingBetweenTwoInstancesNeverReadsAnOlderSessionThanItsLastAnswer(ServletContainer container,
                                                                                       String path) throws Exception {
        SessionAlternation user = SessionAlternation.onLoopback(
                r -> Integer.parseInt(r.header("X-Counter")), ports.get(container));
        SessionAlternation.Result result = user.run("/" + path, REQUESTS, CommitPathServlet.status(path));
        assertThat(result.clean()).as("%s /%s: %s", container, path, result).isTrue();
    }
}
