package dev.readiness.spring.boot.autoconfigure.jolokia;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.health.jolokia.JolokiaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessJolokiaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessJolokiaAutoConfiguration.class));

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JolokiaEndpoint.class));
    }

    @Test
    void enabledServesReadsOnLoopbackAndClosesWithTheContext() {
        JolokiaEndpoint[] seen = new JolokiaEndpoint[1];
        runner.withPropertyValues("readiness.jolokia.enabled=true", "readiness.jolokia.port=0").run(context -> {
            JolokiaEndpoint endpoint = context.getBean(JolokiaEndpoint.class);
            seen[0] = endpoint;
            assertThat(endpoint.address().getAddress().isLoopbackAddress()).isTrue();
            HttpResponse<String> r = get(endpoint.url() + "read/java.lang:type=Memory/HeapMemoryUsage");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":200", "\"used\"");
        });
        assertThat(seen[0]).isNotNull();
        assertThat(reachable(seen[0].url() + "version")).as("stopped with the context").isFalse();
    }

    @Test
    void aHostBeyondLoopbackWithoutCredentialsFailsTheStartNamingTheKey() {
        runner.withPropertyValues("readiness.jolokia.enabled=true", "readiness.jolokia.host=0.0.0.0")
                .run(context -> assertThat(configFailure(context.getStartupFailure()))
                        .hasMessageContaining("readiness.jolokia.host=0.0.0.0"));
    }

    @Test
    void aPortOutOfRangeFailsTheStartNamingTheKey() {
        runner.withPropertyValues("readiness.jolokia.enabled=true", "readiness.jolokia.port=70000")
                .run(context -> assertThat(configFailure(context.getStartupFailure()))
                        .hasMessageContaining("readiness.jolokia.port=70000"));
    }

    @Test
    void enabledWithoutTheAgentFailsTheStartNamingTheArtifact() {
        runner.withPropertyValues("readiness.jolokia.enabled=true", "readiness.jolokia.port=0")
                .withClassLoader(new FilteredClassLoader("org.jolokia"))
                .run(context -> assertThat(configFailure(context.getStartupFailure()))
                        .hasMessageContaining("readiness.jolokia.enabled")
                        .hasMessageContaining("org.jolokia:jolokia-agent-jvm"));
    }

    @Test
    void withoutReadinessHealthItBacksOff() {
        runner.withPropertyValues("readiness.jolokia.enabled=true", "readiness.jolokia.port=0")
                .withClassLoader(new FilteredClassLoader("dev.readiness.health"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JolokiaEndpoint.class));
    }

    /** The first {@link ReadinessConfigException} in the failure's causes: the one error shape of a bad value. */
    private static ReadinessConfigException configFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ReadinessConfigException e) {
                return e;
            }
        }
        throw new AssertionError("no ReadinessConfigException in the start failure", failure);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean reachable(String url) {
        try {
            get(url);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
