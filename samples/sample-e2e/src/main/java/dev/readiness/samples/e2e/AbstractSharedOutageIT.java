package dev.readiness.samples.e2e;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.CookieManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared Redis of the sessions dies (SIGKILL) and comes back on the same port, as a sample's user meets it:
 * the sample started as a process with its defaults, probed and called over the network.
 * <ul>
 *   <li>Defaults (degraded): the pod stays ready throughout, the routes without a session answer 200, the session
 *       routes answer 503 with {@code Retry-After} at once (never after a command timeout), the metrics say the
 *       store is degraded, and a session request answers 200 within 2 s of Redis's return.</li>
 *   <li>{@code READINESS_SESSIONS_REDIS_REQUIRED=true}: readiness DOWN within about the connection grace of the
 *       kill (not at the next 5 s evaluation), UP again within about a second of the return; liveness 200.</li>
 * </ul>
 * The checks run on their defaults (every 5 s): the speed comes from the connection's events and the recovery
 * interval, not from a short interval.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractSharedOutageIT extends AbstractSampleIT {

    private static final Pattern METRIC = Pattern.compile(
            "(?m)^readiness_check_degraded\\{[^}]*check=\"redis-sessions\"[^}]*} ([0-9.]+)$");

    private SampleProcess start(RedisServer redis, Map<String, String> more, CookieManager browser) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri(),
                "READINESS_MANAGEMENT_DETAILS", "true"));
        env.putAll(more);
        SampleProcess app = start(env, browser);
        awaitServing(app);
        awaitAlive(app, () -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
        assertThat(app.get("/session/counter").statusCode()).isEqualTo(200);
        return app;
    }

    private static double degraded(SampleProcess app) throws Exception {
        String metrics = app.management("/metrics").body();
        Matcher m = METRIC.matcher(metrics);
        assertThat(m.find()).as("readiness_check_degraded for redis-sessions in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    protected void aSharedRedisOutageKeepsThePodReadyFailsSessionRoutesFastAndServesTheRest() throws Exception {
        int port = FreePorts.next();
        RedisServer redis = RedisServer.start(port);
        CookieManager browser = new CookieManager();
        try (SampleProcess app = start(redis, Map.of(), browser)) {
            assertThat(degraded(app)).isZero();
            redis.kill();
            long killed = System.nanoTime();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.management("/readyz?verbose").body().contains("\"degraded\":true"));
            double seenAfter = (System.nanoTime() - killed) / 1e9;
            for (int i = 0; i < 20; i++) {
                assertThat(app.management("/readyz").statusCode()).as("the pod stays in the Service").isEqualTo(200);
                assertThat(app.get("/").statusCode()).as("a route without a session").isEqualTo(200);
                long t0 = System.nanoTime();
                NoRetryHttpClient.Response r = app.getWithHeaders("/session/counter");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(r.status()).as("a session route while Redis is down").isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(ms).as("fails fast: well under the 2 s command timeout").isLessThan(500);
                assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            }
            assertThat(degraded(app)).as("the store shows degraded in the metrics").isOne();

            redis = RedisServer.start(port);
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> app.get("/session/counter").statusCode() == 200);
            double servedAfter = (System.nanoTime() - back) / 1e9;
            System.out.printf("shared outage, degraded: readiness saw the loss %.2f s after SIGKILL and stayed 200;"
                    + " a session request answered 200 %.2f s after Redis's return%n", seenAfter, servedAfter);
            assertThat(servedAfter).as("sessions serve again within 2 s of Redis's return").isLessThan(2.0);
            await().atMost(Duration.ofSeconds(5)).until(() -> degraded(app) == 0);
            assertThat(app.management("/metrics").body()).contains("readiness_check_up_after_seconds_count{check=\"redis-sessions\"");
        } finally {
            redis.close();
        }
    }

    @Test
    protected void requiredTheSharedRedisOutageTakesThePodOutWithinTheGraceAndBackWithinASecond() throws Exception {
        int port = FreePorts.next();
        RedisServer redis = RedisServer.start(port);
        try (SampleProcess app = start(redis, Map.of("READINESS_SESSIONS_REDIS_REQUIRED", "true"), new CookieManager())) {
            redis.kill();
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 503);
            double downAfter = (System.nanoTime() - killed) / 1e9;
            assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            assertThat(downAfter).as("from the connection's event after the 1 s grace, not the 5 s interval")
                    .isLessThan(4.0);

            redis = RedisServer.start(port);
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
            double upAfter = (System.nanoTime() - back) / 1e9;
            System.out.printf("shared outage, required: readiness 503 %.2f s after SIGKILL, 200 again %.2f s after"
                    + " Redis's return%n", downAfter, upAfter);
            assertThat(upAfter).as("back in rotation within about a second, not at the next interval")
                    .isLessThan(3.0);
            assertThat(app.management("/metrics").body())
                    .contains("readiness_check_down_after_seconds_count{check=\"redis-sessions\",from=\"event\"");
        } finally {
            redis.close();
        }
    }
}
