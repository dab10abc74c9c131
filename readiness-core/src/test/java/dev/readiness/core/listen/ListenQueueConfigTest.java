package dev.readiness.core.listen;

import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.config.ReadinessConfigException;
import io.smallrye.config.PropertiesConfigSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenQueueConfigTest {

    private static ListenQueueSettings settings(Map<String, String> values) {
        return ListenQueueConfig.from(ReadinessConfig.of(new PropertiesConfigSource(values, "test", 100)));
    }

    @Test
    void defaultsAreDocumented() {
        ListenQueueSettings s = settings(Map.of());

        assertThat(s.procRoot()).isEqualTo(Path.of("/proc"));
        assertThat(s.ports()).isEmpty();
        assertThat(s.requestedBacklog()).isEmpty();
        assertThat(s.minBacklog()).isEqualTo(128);
        assertThat(s.sampleInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.logInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.readinessOnOverflow()).isFalse();
        assertThat(s.toString()).contains("requestedBacklog=unknown");
    }

    @Test
    void mapsEveryKey() {
        ListenQueueSettings s = settings(Map.of(
                "readiness.listen.proc-root", "/host/proc",
                "readiness.listen.ports", "8080,8443",
                "readiness.listen.requested-backlog", "511",
                "readiness.listen.min-backlog", "0",
                "readiness.listen.sample-interval", "250ms",
                "readiness.listen.log-interval", "PT30S",
                "readiness.listen.readiness-on-overflow", "true"));

        assertThat(s.procRoot()).isEqualTo(Path.of("/host/proc"));
        assertThat(s.ports()).isEqualTo(Set.of(8080, 8443));
        assertThat(s.requestedBacklog()).isEqualTo(OptionalInt.of(511));
        assertThat(s.minBacklog()).isZero();
        assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.logInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.readinessOnOverflow()).isTrue();
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        assertBad("readiness.listen.ports", "8080,70000", "readiness.listen.ports=8080,70000", "1..65535");
        assertBad("readiness.listen.ports", "0", "readiness.listen.ports=0", "1..65535");
        assertBad("readiness.listen.requested-backlog", "-5", "readiness.listen.requested-backlog=-5", "JDK default");
        assertBad("readiness.listen.min-backlog", "-1", "readiness.listen.min-backlog=-1", "0 (no warning)");
        assertBad("readiness.listen.sample-interval", "0s", "readiness.listen.sample-interval=0s", "positive");
        assertBad("readiness.listen.log-interval", "-1s", "readiness.listen.log-interval", "positive");
        // blank is no value: the default applies, as for every key
        assertThat(settings(Map.of("readiness.listen.proc-root", " ")).procRoot()).isEqualTo(Path.of("/proc"));
    }

    @Test
    void valuesThatDoNotConvertNameTheKey() {
        assertThatThrownBy(() -> settings(Map.of("readiness.listen.ports", "http")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.listen.ports")
                .hasMessageContaining("http");
        assertThatThrownBy(() -> settings(Map.of("readiness.listen.sample-interval", "soon")))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.listen.sample-interval");
        assertBad("readiness.listen.readiness-on-overflow", "maybe",
                "readiness.listen.readiness-on-overflow=maybe", "true or false");
        assertBad("readiness.listen.proc-root", "/pr\u0000oc", "readiness.listen.proc-root", "directory path");
        assertBad("readiness.listen.enabled", "maybe", "readiness.listen.enabled=maybe is invalid: must be true or"
                + " false; written as true or false (also yes/no, on/off, 1/0)");
        assertThat(settings(Map.of()).enabled()).isTrue();
    }

    @Test
    void enabledTakesTheOneBooleanSyntaxOfEveryKey() {
        // Before one syntax, readiness.listen.enabled=yes failed while readiness.config.file-events=yes passed.
        assertThat(settings(Map.of("readiness.listen.enabled", "yes")).enabled()).isTrue();
        assertThat(settings(Map.of("readiness.listen.enabled", "OFF")).enabled()).isFalse();
        assertThat(settings(Map.of("readiness.listen.readiness-on-overflow", "on")).readinessOnOverflow()).isTrue();
    }

    @Test
    void builderRejectsBadValuesNamingTheSetting() {
        assertThatThrownBy(() -> ListenQueueSettings.builder().ports(Set.of(0)).build())
                .hasMessage("readiness.listen.ports=0 is invalid: must be ports 1..65535, separated by commas");
        assertThatThrownBy(() -> ListenQueueSettings.builder().requestedBacklog(-1).build())
                .hasMessage("readiness.listen.requested-backlog=-1 is invalid: must be 0 (the JDK default of 50) or more");
        assertThatThrownBy(() -> ListenQueueSettings.builder().sampleInterval(Duration.ZERO).build())
                .hasMessage("readiness.listen.sample-interval=0s is invalid: must be a positive duration of at most 1d");
        assertThatThrownBy(() -> ListenQueueSettings.builder().minBacklog(-3).build())
                .hasMessage("readiness.listen.min-backlog=-3 is invalid: must be 0 (no warning) or more");
    }

    private static void assertBad(String key, String value, String... fragments) {
        assertThatThrownBy(() -> settings(Map.of(key, value)))
                .isInstanceOf(ReadinessConfigException.class)
                .satisfies(e -> assertThat(((ReadinessConfigException) e).key()).isEqualTo(key))
                .hasMessageContainingAll(fragments);
    }
}
