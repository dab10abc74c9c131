package dev.readiness.health.catalog;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key this module declares ({@link HealthSettings}) is outside input: any text is a value the key allows or a
 * {@link ReadinessConfigException} naming the key, for the key alone and for its whole feature read from it.
 */
class HealthSettingsPropertiesTest {

    private static Gen<String> hostile() {
        return Gen.oneOf(Gen.strings().all().ofMaxLength(40),
                Gen.strings().withChars("0123456789-+.,:;/PTHMSDnsumhdxe \t\r\n\u0000").ofMaxLength(30),
                Gen.of("", " ", "\u0000", "9223372036854775808", "-2147483649", "2147483648", "NaN", "1e3",
                        "0x10", "٣", "999999999999d", "-999999999999d", "PT9223372036854775807S", "true\u0000", "on",
                        "/tmp/\u0000x", "a,,b", ",", "::1", "256.256.256.256", "localhost\u0000", "-1", "0", "65536",
                        "\uD800", "1".repeat(5000)));
    }

    private static Gen<Key<?>> keys() {
        return Gen.of(new HealthSettings().settings().stream().flatMap(k -> k.keys().stream()).toList());
    }

    private record KeyText(Key<?> key, String text) {
    }

    private static Gen<KeyText> keyAndHostileText() {
        return Gen.combine(keys(), hostile(), KeyText::new);
    }

    @Test
    void everyKeyParsesOrRefusesWithTheKeyNamed() {
        Fuzz.forAll(1000, keyAndHostileText(), x -> {
            try {
                assertThat((Object) x.key().parse(x.text())).isNotNull();
            } catch (ReadinessConfigException e) {
                assertThat(e.key()).isEqualTo(x.key().name());
            }
        });
    }

    @Test
    void everyFeatureReadsOrRefusesWithAReadinessConfigException() {
        Fuzz.forAll(1000, keyAndHostileText(), x -> {
            for (Keys<?, ?> keys : new HealthSettings().settings()) {
                if (keys.keys().contains(x.key())) {
                    try {
                        assertThat((Object) keys.read(SettingsSource.of(Map.of(x.key().name(), x.text()))))
                                .isNotNull();
                    } catch (ReadinessConfigException expected) {
                        // the documented refusal
                    }
                }
            }
        });
    }
}
