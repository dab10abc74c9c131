package dev.readiness.samples.servlet;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleSettingsTest {

    private static SampleSettings from(Map<String, String> values) {
        return SampleSettings.from(ReadinessConfig.of(new PropertiesConfigSource(values, "test", 100)));
    }

    @Test
    void defaultsToPort8080AndADevelopmentRedis() {
        SampleSettings s = from(Map.of());
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.redisUri()).isEmpty();
        assertThat(s.databaseRequired()).as("a shared database is degraded by default").isFalse();
    }

    @Test
    void theDatabaseIsRequiredWhenSaidSoAndAnyOtherWordIsRefused() {
        assertThat(from(Map.of("database.required", "true")).databaseRequired()).isTrue();
        assertThat(from(Map.of("database.required", "ON")).databaseRequired()).as("the library's boolean syntax").isTrue();
        assertThat(from(Map.of("database.required", " ")).databaseRequired()).as("blank: not set").isFalse();
        for (String bad : new String[] {"maybe", "2", "true; rm -rf /", "\u0000"}) {
            assertThatThrownBy(() -> from(Map.of("database.required", bad)))
                    .isInstanceOf(ReadinessConfigException.class)
                    .hasMessageContaining("database.required").hasMessageContaining(bad);
        }
    }

    @Test
    void readsThePortAndTheRedisUri() {
        SampleSettings s = from(Map.of("server.port", " 0 ", "readiness.sessions.redis.uri", "redis://redis:6379"));
        assertThat(s.port()).isZero();
        assertThat(s.redisUri()).contains("redis://redis:6379");
    }

    @Test
    void aBlankRedisUriMeansNotSet() {
        assertThat(from(Map.of("readiness.sessions.redis.uri", "  ")).redisUri()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "70000", "-1", "80.5", "0x50"})
    void aBadPortFailsNamingTheKeyAndTheValue(String port) {
        assertThatThrownBy(() -> from(Map.of("server.port", port)))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("server.port").hasMessageContaining(port).hasMessageContaining("0 to 65535");
    }

    @Test
    void redactsThePasswordOfAUri() {
        assertThat(SampleSettings.redact("redis://user:s3cret@redis:6379/0")).isEqualTo("redis://***@redis:6379/0")
                .doesNotContain("s3cret");
        assertThat(SampleSettings.redact("redis://redis:6379")).isEqualTo("redis://redis:6379");
    }
}
