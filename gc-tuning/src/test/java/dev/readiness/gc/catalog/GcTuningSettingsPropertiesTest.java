package dev.readiness.gc.catalog;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key this module declares ({@link GcTuningSettings}) is outside input: any text is a value the key allows or a
 * {@link ReadinessConfigException} naming the key, for the key alone and for its whole feature read from it.
 */
class GcTuningSettingsPropertiesTest {

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789-+.,:;/PTHMSDnsumhdxe \t\r\n\u0000").ofMaxLength(30),
                Arbitraries.of("", " ", "\u0000", "9223372036854775808", "-2147483649", "2147483648", "NaN", "1e3",
                        "0x10", "٣", "999999999999d", "-999999999999d", "PT9223372036854775807S", "true\u0000", "on",
                        "/tmp/\u0000x", "a,,b", ",", "::1", "256.256.256.256", "localhost\u0000", "-1", "0", "65536",
                        "\uD800", "1".repeat(5000)));
    }

    @Provide
    Arbitrary<Key<?>> keys() {
        return Arbitraries.of(new GcTuningSettings().settings().stream().flatMap(k -> k.keys().stream()).toList());
    }

    @Property(tries = 1000)
    void everyKeyParsesOrRefusesWithTheKeyNamed(@ForAll("keys") Key<?> key, @ForAll("hostile") String text) {
        try {
            assertThat((Object) key.parse(text)).isNotNull();
        } catch (ReadinessConfigException e) {
            assertThat(e.key()).isEqualTo(key.name());
        }
    }

    @Property(tries = 1000)
    void everyFeatureReadsOrRefusesWithAReadinessConfigException(@ForAll("keys") Key<?> key,
                                                                @ForAll("hostile") String text) {
        for (Keys<?, ?> keys : new GcTuningSettings().settings()) {
            if (keys.keys().contains(key)) {
                try {
                    assertThat((Object) keys.read(SettingsSource.of(Map.of(key.name(), text)))).isNotNull();
                } catch (ReadinessConfigException expected) {
                    // the documented refusal
                }
            }
        }
    }
}
