package dev.readiness.health.management;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.probe.HealthRegistry;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagementConfigTest {

    private final HealthRegistry registry = HealthRegistry.create();

    @AfterEach
    void close() {
        registry.close();
    }

    private ManagementServer start(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(Map.of("readiness.management.host", "127.0.0.1",
                "readiness.management.port", "0"));
        all.putAll(props);
        return ManagementServer.builder(registry)
                .config(ReadinessConfig.of(new PropertiesConfigSource(all, "test", 100))).start();
    }

    @Test
    void environmentVariablesConfigureTheServer() {
        try (ManagementServer s = ManagementServer.builder(registry).config(ReadinessConfig.of(new EnvConfigSource(
                Map.of("READINESS_MANAGEMENT_PORT", "0", "READINESS_MANAGEMENT_HOST", "127.0.0.1",
                        "READINESS_MANAGEMENT_DETAILS", "true", "READINESS_MANAGEMENT_THREADS", "3"), 300))).start()) {
            assertThat(s.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(Http.get(s.port(), "/readyz?verbose").body()).contains("\"checks\":{}");
        }
    }

    @Test
    void defaultsAreThoseDocumented() {
        ManagementSettings c = ManagementConfig.from(ReadinessConfig.of());
        assertThat(c.port()).isEqualTo(8081).isEqualTo(ManagementServer.DEFAULT_PORT);
        assertThat(c.host()).isEqualTo("0.0.0.0").isEqualTo(ManagementServer.DEFAULT_HOST);
        assertThat(c.details()).isFalse();
        assertThat(c.threads()).isEqualTo(2).isEqualTo(ManagementServer.DEFAULT_THREADS);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            readiness.management.port    | -1                 | must be 0..65535
            readiness.management.port    | 65536              | must be 0..65535
            readiness.management.port    | 70000              | must be 0..65535
            readiness.management.port    | 8081.5             | 8081.5
            readiness.management.port    | eighty             | eighty
            readiness.management.port    | 99999999999999999  | 99999999999999999
            readiness.management.port    | 0x1F91             | 0x1F91
            readiness.management.threads | 0                  | must be 1..64
            readiness.management.threads | 65                 | must be 1..64
            readiness.management.threads | -2147483648        | must be 1..64
            readiness.management.threads | many               | many
            readiness.management.details | ture               | true or false
            readiness.management.details | enabled            | true or false
            readiness.management.host    | '127.0.0.1 x'      | must be a host name or IP address
            readiness.management.max-connections | 0          | must be 1..100000
            readiness.management.request-timeout | 1ms        | must be between 100ms and 10m
            readiness.management.host    | no-such-host.invalid | must be a host name or IP address that resolves
            """)
    void aBrokenValueFailsAtStartNamingTheKeyAndTheValue(String key, String value, String allowed) {
        assertThatThrownBy(() -> start(Map.of(key, value)).close())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value.strip())
                .hasMessageContaining(allowed);
    }

    @Test
    void aHostWithAControlCharacterIsRefused() {
        assertThatThrownBy(() -> start(Map.of("readiness.management.host", "127.0.0.1\nX-Injected: 1")).close())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.management.host");
    }

    @Test
    void connectionCapAndRequestTimeoutAreKeysToo() {
        ManagementSettings s = ManagementConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.management.max-connections", "50", "readiness.management.request-timeout", "2s"),
                "test", 100)));
        assertThat(s.maxConnections()).isEqualTo(50);
        assertThat(s.requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
    }

    @Test
    void builderValuesAreValidatedToo() {
        assertThatThrownBy(() -> ManagementServer.builder(registry).port(-5).start())
                .isInstanceOf(ReadinessConfigException.class).hasMessage("readiness.management.port=-5 is invalid: must be 0..65535 (0 picks a free port)");
        assertThatThrownBy(() -> ManagementServer.builder(registry).threads(0).start())
                .hasMessage("readiness.management.threads=0 is invalid: must be 1..64");
        assertThatThrownBy(() -> ManagementServer.builder(registry).host(" ").start())
                .hasMessageContaining("readiness.management.host");
    }
}
