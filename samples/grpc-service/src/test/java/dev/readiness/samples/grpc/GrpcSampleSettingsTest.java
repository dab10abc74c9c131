package dev.readiness.samples.grpc;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcSampleSettingsTest {

    @Test
    void defaultsToPort9090AndNoRedis() {
        GrpcSampleSettings s = GrpcSampleSettings.from(config(Map.of()));
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.redisUri()).isEmpty();
        assertThat(GrpcSampleSettings.from(config(Map.of("readiness.sessions.redis.uri", "  "))).redisUri()).isEmpty();
    }

    @Test
    void readsThePortAndTheUri() {
        GrpcSampleSettings s = GrpcSampleSettings.from(config(Map.of("grpc.port", " 0 ",
                "readiness.sessions.redis.uri", "redis://:secret@redis.default.svc:6380/2")));
        assertThat(s.port()).isZero();
        assertThat(s.redisUri().orElseThrow().getHost()).isEqualTo("redis.default.svc");
        assertThat(s.redisUri().orElseThrow().getPort()).isEqualTo(6380);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "nine", "9090.0", "0x2382", "99999999999999999999", "\u0000"})
    void aBadPortFailsNamingTheKeyAndTheValue(String port) {
        assertThatThrownBy(() -> GrpcSampleSettings.from(config(Map.of("grpc.port", port))))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("grpc.port")
                .hasMessageContaining("a port number from 0 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:6379", "http://redis:6379", "redis://", "redis://:secret@", "rediss://:p@ss@/0",
            "redis://host:notaport"})
    void aBadRedisUriFailsWithoutShowingThePassword(String uri) {
        assertThatThrownBy(() -> GrpcSampleSettings.from(config(Map.of("readiness.sessions.redis.uri", uri))))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.sessions.redis.uri")
                .hasMessageContaining("redis:// or rediss:// URI")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("p@ss"));
    }

    private static org.eclipse.microprofile.config.Config config(Map<String, String> values) {
        return ReadinessConfig.of(new PropertiesConfigSource(values, "test", 500));
    }
}
