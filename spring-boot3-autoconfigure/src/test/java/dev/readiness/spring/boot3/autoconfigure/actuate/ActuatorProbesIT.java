package dev.readiness.spring.boot3.autoconfigure.actuate;

import dev.readiness.core.check.Status;
import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot 3.5 on a real Tomcat, with Actuator and a health indicator that hangs for 30 s on every call. Boot
 * alone calls it on the probe request and answers after 30 s, and has no probe groups at all off Kubernetes; with
 * readiness the probe groups are there, answer at once from the background results, and the liveness group never
 * contains the indicator, even though the application's own liveness group asks for every indicator.
 */
class ActuatorProbesIT {

    /** Generous: the machine is shared and noisy, yet far below the indicator's 30 s. */
    private static final Duration FAST = Duration.ofSeconds(5);

    private static ConfigurableApplicationContext context;
    private static int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(App.class).properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=health",
                "readiness.management.port=0",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.show-components=always",
                "management.endpoint.health.probes.add-additional-paths=true",
                "management.endpoint.health.group.readiness.include=readinessState,hang",
                // Actuator would put every indicator, the hanging one too, in a group that includes "*"
                "management.endpoint.health.group.liveness.include=*",
                "readiness.checks.interval=500ms",
                "readiness.checks.timeout=300ms").run();
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @BeforeEach
    void hangingCheckHasTimedOutOnce() {
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshot("hang").timedOut());
    }

    @Test
    void readinessAnswers503QuicklyWhileAnIndicatorHangs() throws Exception {
        for (String path : new String[] {"/actuator/health/readiness", "/readyz"}) {
            Timed r = get(path);
            assertThat(r.status).as(path).isEqualTo(503);
            assertThat(r.took).as(path).isLessThan(FAST);
            assertThat(r.body).as(path).contains("\"hang\"", "\"readinessState\"");
        }
        assertThat(snapshot("hang").status()).isEqualTo(Status.DOWN);
        assertThat(snapshot("hang").message()).contains("timed out");
    }

    @Test
    void livenessNeverContainsTheHangingIndicatorEvenInTheApplicationsOwnGroup() throws Exception {
        for (String path : new String[] {"/actuator/health/liveness", "/livez"}) {
            Timed r = get(path);
            assertThat(r.status).as(path).isEqualTo(200);
            assertThat(r.took).as(path).isLessThan(FAST);
            assertThat(r.body).as(path).contains("\"livenessState\"").doesNotContain("\"hang\"", "\"diskSpace\"");
        }
    }

    @Test
    void theWholeHealthEndpointShowsTheTimedOutResultWithoutCallingTheIndicator() throws Exception {
        HangingIndicator hang = context.getBean(HangingIndicator.class);
        int callsBefore = hang.calls.get();
        Timed r = get("/actuator/health");
        assertThat(r.took).isLessThan(FAST);
        assertThat(r.status).isEqualTo(503);
        assertThat(r.body).contains("\"hang\"", "timedOut");
        // calls come from the background schedule only: never more than one evaluation in flight
        assertThat(hang.calls.get() - callsBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void startupProbeIsUpOnceTheApplicationIsReady() throws Exception {
        Timed r = get("/actuator/health/startup");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).contains("\"startupState\"");
    }

    @Test
    void springsReadinessStateFollowsTheRegistry() {
        ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
        assertThat(context.getBean(HealthRegistry.class).report(Probe.READINESS).isUp()).isFalse();
    }

    private static CheckSnapshot snapshot(String name) {
        return context.getBean(HealthRegistry.class).checks().stream()
                .filter(c -> c.probe() == Probe.READINESS && c.name().equals(name)).findFirst().orElseThrow();
    }

    private Timed get(String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Timed(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
    }

    private record Timed(int status, String body, Duration took) {
    }

    /** Sleeps 30 s on every call, like a database whose connections hang. */
    static final class HangingIndicator implements HealthIndicator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Health health() {
            calls.incrementAndGet();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up().build();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        HangingIndicator hangHealthIndicator() {
            return new HangingIndicator();
        }
    }
}
