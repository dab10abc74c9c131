package dev.readiness.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BooleanConverterTest {

    @ConfigMapping(prefix = "readiness.test")
    interface Flag {
        @WithDefault("false")
        boolean enabled();
    }

    private static boolean read(String value) {
        return ReadinessConfig.mapping(ReadinessConfig.of(new PropertiesConfigSource(
                Map.of("readiness.test.enabled", value), "test", 100)), Flag.class).enabled();
    }

    @Test
    void readsTheUsualSpellings() {
        for (String t : new String[] {"true", "TRUE", " yes ", "on", "1"}) {
            assertThat(read(t)).as(t).isTrue();
        }
        for (String f : new String[] {"false", "No", "off", "0"}) {
            assertThat(read(f)).as(f).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ture", "enabled", "2", "y", "true;", "tru\u0000e"})
    void aTypoIsAnErrorNamingTheKeyNotASilentFalse(String value) {
        assertThatThrownBy(() -> read(value))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.test.enabled")
                .hasMessageContaining(BooleanConverter.ALLOWED);
    }
}
