package dev.readiness.core.reload;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReloadConfigTest {

    private static ConfigMapWatcher.Builder from(Map<String, String> props) {
        return ConfigReloadConfig.from(ReadinessConfig.of(new PropertiesConfigSource(props, "test", 100)));
    }

    @Test
    void defaultsApplyWhenOnlyTheDirectoryIsSet() {
        ConfigMapWatcher w = from(Map.of("readiness.config.dir", "/etc/app")).build();
        assertThat(w.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.debounce()).isEqualTo(Duration.ofMillis(10));
        assertThat(w.fileEvents()).isTrue();
        assertThat(w.directory()).isEqualTo(Path.of("/etc/app"));
    }

    @Test
    void environmentVariableNamesMap() {
        ConfigMapWatcher w = ConfigReloadConfig.from(ReadinessConfig.of(new EnvConfigSource(
                Map.of("READINESS_CONFIG_DIR", "/etc/env", "READINESS_CONFIG_DEBOUNCE", "50ms"), 300))).build();
        assertThat(w.directory()).isEqualTo(Path.of("/etc/env"));
    }

    @Test
    void missingDirectoryNamesTheKey() {
        assertThatThrownBy(() -> from(Map.of())).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.config.dir").hasMessageContaining("must be set");
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "  ")))
                .isInstanceOf(ReadinessConfigException.class);
    }

    @Test
    void invalidPathNamesKeyAndValue() {
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "/etc/\0app")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.config.dir");
    }

    @Test
    void outOfRangeDurationsNameKeyValueAndRange() {
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "/x", "readiness.config.poll-interval", "1ms")))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessage("readiness.config.poll-interval=1ms is invalid: must be between 10ms and 1h");
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "/x", "readiness.config.debounce", "-1ms")))
                .hasMessageContaining("readiness.config.debounce");
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "/x", "readiness.config.debounce", "2s")))
                .hasMessageContaining("shorter than readiness.config.poll-interval");
    }

    @Test
    void unparseableValuesNameTheKey() {
        assertThatThrownBy(() -> from(Map.of("readiness.config.dir", "/x", "readiness.config.poll-interval", "soon")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.config.poll-interval")
                .hasMessageContaining("soon");
    }

    @Test
    void builderRefusesOutOfRangeSettingsToo() {
        assertThatThrownBy(() -> ConfigMapWatcher.builder().build()).isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.config.dir=(empty) is invalid: must be set");
        assertThatThrownBy(() -> ConfigMapWatcher.builder().directory(Path.of("/x"))
                .pollInterval(Duration.ofHours(2)).build())
                .hasMessage("readiness.config.poll-interval=2h is invalid: must be between 10ms and 1h");
    }
}
