package dev.readiness.spring.boot.autoconfigure.management;

import dev.readiness.spring.boot.autoconfigure.StartFailures;
import dev.readiness.health.management.ManagementResponse;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.core.check.CheckResult;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadinessManagementAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessManagementAutoConfiguration.class))
            .withPropertyValues("readiness.management.port=0", "readiness.management.host=127.0.0.1");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheProbesOnItsOwnPortWithoutActuator() {
        runner.run(context -> {
            int port = context.getBean(ManagementServer.class).port();
            assertThat(port).isPositive();
            assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
            // the context runner never publishes ApplicationReadyEvent: startup has not completed
            assertThat(get(port, "/startupz").statusCode()).isEqualTo(503);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
            assertThat(get(port, "/readyz").body()).contains("STARTING");
        });
    }

    @Test
    void theSwitchTakesTheOneBooleanSyntaxAndRefusesOtherWords() {
        // Spring's @ConditionalOnBooleanProperty read "yes" as not true and turned the server off silently.
        runner.withPropertyValues("readiness.management.enabled=yes")
                .run(context -> assertThat(context).hasSingleBean(ManagementServer.class));
        runner.withPropertyValues("readiness.management.enabled=OFF")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ManagementServer.class));
        runner.withPropertyValues("readiness.management.enabled=maybe")
                .run(context -> StartFailures.analysisNaming(context, "readiness.management.enabled",
                        "must be true or false"));
    }

    @Test
    void closesWithTheContext() {
        int[] port = new int[1];
        runner.run(context -> port[0] = context.getBean(ManagementServer.class).port());
        assertThatThrownBy(() -> new Socket("127.0.0.1", port[0]).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("readiness.management.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ManagementServer.class));
    }

    @Test
    void offWithoutTheStarter() {
        runner.withPropertyValues("readiness.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ManagementServer.class));
    }

    @Test
    void servesEndpointBeansAndPrometheusMetrics() {
        runner.withBean("drainz", ManagementEndpoint.class, () -> new ManagementEndpoint("/drainz",
                        uri -> new ManagementResponse(200, "text/plain", "serving".getBytes(StandardCharsets.UTF_8))))
                .withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .run(context -> {
                    context.getBean(PrometheusMeterRegistry.class).counter("demo.requests").increment();
                    int port = context.getBean(ManagementServer.class).port();
                    assertThat(get(port, "/drainz").body()).isEqualTo("serving");
                    HttpResponse<String> metrics = get(port, "/metrics");
                    assertThat(metrics.statusCode()).isEqualTo(200);
                    assertThat(metrics.body()).contains("demo_requests_total 1.0");
                });
    }

    @Test
    void withoutAPrometheusRegistryThereIsNoMetricsEndpoint() {
        runner.run(context -> assertThat(get(context.getBean(ManagementServer.class).port(), "/metrics").statusCode())
                .isEqualTo(404));
    }

    @Test
    void detailsFollowTheProperty() {
        ApplicationContextRunner withCheck = runner.withBean("deadlocks", CheckRegistration.class,
                () -> CheckRegistration.liveness("deadlocks", CheckResult::up));
        withCheck.withPropertyValues("readiness.management.details=true").run(context -> {
            int port = context.getBean(ManagementServer.class).port();
            assertThat(get(port, "/livez?verbose").body()).contains("deadlocks");
        });
        withCheck.run(context -> {
            int port = context.getBean(ManagementServer.class).port();
            assertThat(get(port, "/livez?verbose").body()).doesNotContain("deadlocks");
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.management.port    | 70000 | must be 0..65535",
            "readiness.management.port    | -1    | must be 0..65535",
            "readiness.management.threads | 0     | must be 1..64",
            "readiness.management.host    | 'a b' | must be a host name or IP address",
            "readiness.management.max-connections | 0    | must be 1..100000",
            "readiness.management.request-timeout | 10ms | must be between 100ms and 10m",
            "readiness.management.request-timeout | 5    | a bare number has no unit",
    })
    void aBadValueFailsTheStartWithTheKey(String key, String value, String allowed) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            StartFailures.analysisNaming(context, key, allowed);
        });
    }

    @Test
    void aPortInUseFailsTheStartNamingThePort() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            runner.withPropertyValues("readiness.management.port=" + taken.getLocalPort()).run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining(String.valueOf(taken.getLocalPort()))
                        .hasStackTraceContaining("readiness.management.port");
            });
        }
    }
}
