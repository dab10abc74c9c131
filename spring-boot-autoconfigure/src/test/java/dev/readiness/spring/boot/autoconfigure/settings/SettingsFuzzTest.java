package dev.readiness.spring.boot.autoconfigure.settings;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.core.config.SettingsSource;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every key every module declares is outside input: for any text, the key reads a value it allows or refuses with a
 * {@link ReadinessConfigException} naming it, alone and for its whole feature read from it. Property-based
 * ({@link Fuzz}): the keys of all modules on this class path (core, health, gc-tuning, sessions, grpc) against texts
 * of any characters, near-valid numbers and durations, and the classic breakers. {@code SettingsContractTest} holds
 * the fixed cases.
 */
class SettingsFuzzTest {

    private static final List<Keys<?, ?>> SETTINGS = SettingsProvider.all(SettingsFuzzTest.class.getClassLoader());

    private static Gen<String> hostile() {
        return Gen.oneOf(Gen.strings().all().ofMaxLength(40),
                Gen.strings().withChars("0123456789-+.,:;/PTHMSDnsumhdxe \t\r\n\u0000").ofMaxLength(30),
                Gen.combine(Gen.longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
                        Gen.of("", "ms", "s", "m", "h", "d", "us", "ns", "%", "Mi", "Gi", "k"),
                        Gen.of("", " ", "\t", "x", "\u0000"), (n, unit, junk) -> n + unit + junk),
                Gen.of("", " ", "\u0000", "9223372036854775808", "-2147483649", "2147483648", "NaN", "1e3",
                        "0x10", "٣", "999999999999d", "-999999999999d", "PT9223372036854775807S", "true\u0000", "on",
                        "/tmp/\u0000x", "a,,b", ",", "::1", "256.256.256.256", "localhost\u0000", "-1", "0", "65536",
                        "redis://", "redis://:@", "rediss://h:0", "redis-sentinel://#", "\uD800", "1".repeat(5000)));
    }

    private record KeyText(Keys<?, ?> feature, Key<?> key, String text) {
    }

    private static Gen<KeyText> keyAndHostileText() {
        List<KeyText> keys = SETTINGS.stream().flatMap(f -> f.keys().stream().map(k -> new KeyText(f, k, null)))
                .toList();
        return Gen.combine(Gen.of(keys), hostile(), (k, text) -> new KeyText(k.feature(), k.key(), text));
    }

    @Test
    void theKeysOfEveryModuleAreFuzzed() {
        assertThat(SETTINGS).extracting(Keys::prefix).contains("readiness.checks", "readiness.management",
                "readiness.gc", "readiness.sessions", "readiness.grpc");
    }

    @Test
    void everyKeyParsesOrRefusesWithTheKeyNamed() {
        Fuzz.forAll(3000, keyAndHostileText(), x -> {
            try {
                assertThat((Object) x.key().parse(x.text())).isNotNull();
            } catch (ReadinessConfigException e) {
                assertThat(e.key()).isEqualTo(x.key().name());
            }
        });
    }

    @Test
    void everyFeatureReadsOrRefusesWithAReadinessConfigException() {
        Fuzz.forAll(3000, keyAndHostileText(), x -> {
            try {
                assertThat((Object) x.feature().read(SettingsSource.of(Map.of(x.key().name(), x.text()))))
                        .isNotNull();
            } catch (ReadinessConfigException expected) {
                assertThat(expected.key()).startsWith("readiness.");
            }
        });
    }
}
