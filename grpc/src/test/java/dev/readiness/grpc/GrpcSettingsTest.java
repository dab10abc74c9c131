package dev.readiness.grpc;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcSettingsTest {

    @Test
    void absentKeysKeepTheBuildersDefaults() {
        GrpcSettings s = GrpcConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(), "test", 100)));
        assertThat(s).isEqualTo(GrpcSettings.defaults());
        assertThat(s.maxConnectionAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void presentKeysAreCopiedOntoTheBuilder() {
        GrpcSettings s = GrpcConfig.from(ReadinessConfig.of(new PropertiesConfigSource(Map.of(
                "readiness.grpc.max-connection-age", "30s", "readiness.grpc.max-connection-age-grace", "5s"),
                "test", 100)));
        assertThat(s.maxConnectionAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxConnectionAgeGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aTooShortAgeNamesTheKeyAndTheValueAsWritten() {
        assertThatThrownBy(() -> GrpcConfig.from(ReadinessConfig.of(new PropertiesConfigSource(
                Map.of("readiness.grpc.max-connection-age", "10ms"), "test", 100))))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.grpc.max-connection-age")
                .hasMessageContaining("10ms")
                .hasMessageContaining("between 1s and 1d");
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThatThrownBy(() -> GrpcSettings.builder().maxConnectionAgeGrace(Duration.ofSeconds(-1)).build())
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.grpc.max-connection-age-grace");
    }
}
