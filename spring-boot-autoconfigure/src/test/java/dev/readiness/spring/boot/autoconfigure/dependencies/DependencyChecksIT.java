package dev.readiness.spring.boot.autoconfigure.dependencies;

import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.spring.boot.autoconfigure.actuate.BackgroundHealthIndicator;
import dev.readiness.testkit.RedisServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application with Actuator, a real PostgreSQL behind HikariCP, a real redis-server behind Lettuce
 * and Resilience4j circuit breakers: each becomes a readiness check by itself, Boot's {@code db} and
 * {@code redis} indicators show those checks' results instead of querying a second time, and a hung Redis takes
 * readiness DOWN while every probe still answers at once.
 */
@SpringBootTest(classes = DependencyChecksIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "readiness.management.port=0", "readiness.management.host=127.0.0.1",
                "readiness.checks.interval=300ms", "readiness.checks.timeout=500ms",
                "readiness.dependencies.required=db,circuitbreaker-payments,circuitbreaker-legacy",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.show-components=always"})
class DependencyChecksIT {

    private static final EmbeddedPostgres POSTGRES;
    private static final RedisServer REDIS;

    static {
        try {
            POSTGRES = EmbeddedPostgres.builder().start();
            REDIS = RedisServer.start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry p) {
        p.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        p.add("spring.datasource.username", () -> "postgres");
        p.add("spring.data.redis.host", () -> "127.0.0.1");
        p.add("spring.data.redis.port", REDIS::port);
    }

    private static ConfigurableApplicationContext started;

    @Autowired
    void context(ConfigurableApplicationContext context) {
        started = context;
    }

    /** The checks first, so none runs against a server that is gone. */
    @AfterAll
    static void stop() throws IOException {
        if (started != null) {
            started.getBean(HealthRegistry.class).close(); // no check runs against a server that is gone
        }
        REDIS.close();
        POSTGRES.close();
    }

    @Autowired
    HealthRegistry registry;
    @Autowired
    HealthContributorRegistry contributors;
    @Autowired
    org.springframework.boot.health.registry.ReactiveHealthContributorRegistry reactiveContributors;
    @Autowired
    ManagementServer management;
    @Autowired
    CircuitBreakerRegistry breakers;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDatabaseRedisAndBreakersAreReadinessChecksCheckedOnce() throws Exception {
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).isUp());
        // redis is degraded: readiness may be UP before its first evaluation completed (a loaded machine)
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot("redis").lastCompleted() != null);
        // readiness.dependencies.required=db,circuitbreaker-payments,circuitbreaker-legacy (see the properties)
        assertThat(snapshot("db").required()).as("named in readiness.dependencies.required").isTrue();
        assertThat(snapshot("redis").required()).as("shared: degraded unless named").isFalse();
        assertThat(snapshot("circuitbreaker-payments").required()).as("named, and recovers by itself").isTrue();
        assertThat(snapshot("circuitbreaker-legacy").required()).as("named, but needs calls to recover").isFalse();
        assertThat(snapshot("db").details()).containsKeys("active", "idle", "max");
        assertThat(snapshot("redis").details()).containsKey("latencyMs");
        // Boot's indicators read readiness' checks instead of running a query of their own
        assertThat(contributors.getContributor("db")).as("contributors %s",
                contributors.stream().map(e -> e.name() + "=" + e.contributor()).toList())
                .isInstanceOf(BackgroundHealthIndicator.class);
        // Boot registers Redis' indicator as a reactive contributor (Lettuce brings Reactor): taken out of the
        // reactive registry, the name shows readiness' check too
        assertThat(contributors.getContributor("redis")).isInstanceOf(BackgroundHealthIndicator.class);
        assertThat(reactiveContributors.getContributor("redis")).isNull();
        assertThat(registry.checks().stream().filter(c -> c.probe() == Probe.READINESS)
                .map(CheckSnapshot::name)).doesNotHaveDuplicates();
        HttpResponse<String> health = get(URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        assertThat(health.body()).contains("\"db\"", "\"redis\"", "\"active\"");
        assertThat(get(readyz()).statusCode()).isEqualTo(200);
    }

    @Test
    void aHungSharedRedisIsDegradedNotDownWhileProbesAnswerAtOnce() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).isUp());
        REDIS.pause();
        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> snapshot("redis").status().name().equals("DOWN"));
            assertThat(registry.report(Probe.READINESS).degraded()).isTrue();
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                assertThat(get(readyz()).statusCode()).as("a shared Redis's outage keeps the replica in the Service")
                        .isEqualTo(200);
                assertThat(get(URI.create(managementBase() + "/livez")).statusCode()).as("liveness").isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            }
        } finally {
            REDIS.resume();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get(readyz()).statusCode() == 200);
    }

    @Test
    void anOpenBreakerNamedRequiredTakesReadinessDownOnlyWhenItRecoversByItself() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.report(Probe.READINESS).isUp());
        CircuitBreaker legacy = breakers.circuitBreaker("legacy");
        legacy.transitionToOpenState();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshot("circuitbreaker-legacy").status().name()
                    .equals("DOWN"));
            assertThat(registry.report(Probe.READINESS).isUp()).as("only degraded").isTrue();
            assertThat(registry.report(Probe.READINESS).degraded()).isTrue();
        } finally {
            legacy.transitionToClosedState();
        }
        CircuitBreaker payments = breakers.circuitBreaker("payments");
        payments.transitionToOpenState();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(readyz()).statusCode() == 503);
        } finally {
            payments.transitionToClosedState();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> get(readyz()).statusCode() == 200);
    }

    private CheckSnapshot snapshot(String name) {
        return registry.checks().stream().filter(c -> c.probe() == Probe.READINESS && c.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no readiness check " + name + " in "
                        + registry.checks()));
    }

    private String managementBase() {
        return "http://127.0.0.1:" + management.port();
    }

    private URI readyz() {
        return URI.create(managementBase() + "/readyz");
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        CircuitBreakerRegistry circuitBreakerRegistry() {
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
            registry.circuitBreaker("payments", CircuitBreakerConfig.custom()
                    .automaticTransitionFromOpenToHalfOpenEnabled(true).build());
            registry.circuitBreaker("legacy");
            return registry;
        }
    }
}
