package dev.readiness.core.config;

import dev.readiness.core.catalog.CoreSettings;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every config value is outside input: no text makes a syntax, a converter or a key throw anything but
 * {@link IllegalArgumentException} (syntaxes, converters) or {@link ReadinessConfigException} (keys), and what
 * they accept reads back to the same value.
 */
class ConfigSyntaxPropertiesTest {

    private static final List<String> UNITS = List.of("ns", "us", "ms", "s", "m", "h", "d");

    /** Random text, near-valid values and the hostile classics, whitespace and control characters included. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> configish = Arbitraries.strings().withChars("0123456789-+.,:;PTHMSDnsumhdxXeE \t\r\n\u0000")
                .ofMaxLength(30);
        Arbitrary<String> classic = Arbitraries.of("", " ", "\t", "\u0000", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649", "NaN", "Infinity",
                "1e3", "0x10", "٣", "١٢s", "５s", "999999999999d", "-999999999999d", "999999999999us",
                "9999999999999s", "PT9223372036854775807S", "PT-9223372036854775808S", "P106751991167301D",
                "PT2562047788015215H", "-PT-1S", "P", "PT", "PT1.0000000001S", "true\u0000", "yes ", "ON",
                "/tmp/\u0000x", "a,,b", ",", " , ", "\r\n", "\uD800", "\uFFFF");
        Arbitrary<String> nearValid = Combinators.combine(Arbitraries.longs().between(-1_000_000_000_000L,
                        1_000_000_000_000L), Arbitraries.of(UNITS), Arbitraries.of("", " ", "\t", "x", "\u0000"))
                .as((n, u, junk) -> n + u + junk);
        Arbitrary<String> veryLong = Arbitraries.strings().withChars("9").ofMinLength(1000).ofMaxLength(5000);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, any), net.jqwik.api.Tuple.of(4, configish), net.jqwik.api.Tuple.of(3, classic),
                net.jqwik.api.Tuple.of(3, nearValid), net.jqwik.api.Tuple.of(1, veryLong));
    }

    @Property(tries = 2000)
    void durationTextIsADurationOrAnIllegalArgument(@ForAll("hostile") String text) {
        try {
            Duration d = DurationConverter.parse(text);
            // trim() drops every character up to U+0020, so control characters alone are "not set" too
            assertThat(d == null).isEqualTo(text.trim().isEmpty());
        } catch (IllegalArgumentException expected) {
            assertThat(expected).hasMessageContaining(DurationConverter.ALLOWED);
        }
    }

    @Property(tries = 1000)
    void simpleDurationsReadAsWritten(@ForAll @LongRange(min = -999_999_999_999L, max = 999_999_999_999L) long n,
                                      @ForAll("units") String unit, @ForAll boolean upper) {
        String text = " " + (upper ? (n + unit).toUpperCase(Locale.ROOT) : n + unit) + "\t";
        Duration expected = switch (unit) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        assertThat(DurationConverter.parse(text)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> units() {
        return Arbitraries.of(UNITS);
    }

    /** What the duration syntax accepts it writes back in a form it accepts, to the same value. */
    @Property(tries = 2000)
    void everyReadableDurationFormatsToTextThatReadsBackTheSame(@ForAll("durations") Duration d) {
        String written = Syntax.DURATION.format(d);
        assertThat(Syntax.DURATION.parse(written)).as(written).isEqualTo(d);
    }

    @Provide
    Arbitrary<Duration> durations() {
        Arbitrary<Duration> simple = Combinators.combine(
                Arbitraries.longs().between(-999_999_999_999L, 999_999_999_999L), Arbitraries.of(UNITS))
                .as((n, u) -> DurationConverter.parse(n + u));
        Arbitrary<Duration> iso = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 999_999_999))
                .as(Duration::ofSeconds);
        return Arbitraries.oneOf(simple, iso);
    }

    @Property(tries = 2000)
    void booleanTextIsOneOfTheWordsOrAnIllegalArgument(@ForAll("hostile") String text) {
        Set<String> yes = Set.of("true", "yes", "on", "1");
        Set<String> no = Set.of("false", "no", "off", "0");
        String v = text.trim().toLowerCase(Locale.ROOT);
        try {
            Boolean b = new BooleanConverter().convert(text);
            if (b == null) {
                assertThat(v).isEmpty();
            } else {
                assertThat(b ? yes : no).contains(v);
            }
        } catch (IllegalArgumentException e) {
            assertThat(yes).doesNotContain(v);
            assertThat(no).doesNotContain(v);
        }
    }

    @Property(tries = 2000)
    void everySyntaxRefusesOnlyWithAnIllegalArgument(@ForAll("hostile") String text) {
        for (Syntax<?> s : List.of(Syntax.DURATION, Syntax.BOOLEAN, Syntax.INTEGER, Syntax.LONG, Syntax.TEXT,
                Syntax.PATH, Syntax.listOf(Syntax.INTEGER), Syntax.listOf(Syntax.DURATION),
                Syntax.choice(Locale.Category.class))) {
            try {
                s.parse(text);
            } catch (IllegalArgumentException expected) {
                // the documented refusal
            }
        }
    }

    @Property(tries = 1000)
    void integersReadAsWrittenWithBlanksAround(@ForAll int n, @ForAll long l, @ForAll("blank") String before,
                                               @ForAll("blank") String after) {
        assertThat(Syntax.INTEGER.parse(before + n + after)).isEqualTo(n);
        assertThat(Syntax.LONG.parse(before + l + after)).isEqualTo(l);
        assertThat(Syntax.INTEGER.parse(Syntax.INTEGER.format(n))).isEqualTo(n);
    }

    @Provide
    Arbitrary<String> blank() {
        return Arbitraries.strings().withChars(" \t\r\n").ofMaxLength(3);
    }

    @Property(tries = 500)
    void listsOfIntegersRoundTrip(@ForAll List<@IntRange(min = -100_000, max = 100_000) Integer> values) {
        Syntax<List<Integer>> s = Syntax.listOf(Syntax.INTEGER);
        assertThat(s.parse(s.format(values))).isEqualTo(values);
    }

    /** Every key readiness-core declares: any text is a value the key allows or a ReadinessConfigException. */
    @Property(tries = 1000)
    void everyCoreKeyParsesOrRefusesWithTheKeyNamed(@ForAll("coreKeys") Key<?> key, @ForAll("hostile") String text) {
        try {
            Object value = key.parse(text);
            assertThat(value).isNotNull();
        } catch (ReadinessConfigException e) {
            assertThat(e.key()).isEqualTo(key.name());
        }
    }

    /** A whole feature read from one hostile value: settings, or a ReadinessConfigException. */
    @Property(tries = 1000)
    void everyCoreFeatureReadsOrRefusesWithAReadinessConfigException(@ForAll("coreKeys") Key<?> key,
                                                                    @ForAll("hostile") String text) {
        for (Keys<?, ?> keys : new CoreSettings().settings()) {
            if (keys.keys().contains(key)) {
                try {
                    assertThat((Object) keys.read(SettingsSource.of(Map.of(key.name(), text)))).isNotNull();
                } catch (ReadinessConfigException expected) {
                    // the documented refusal
                }
            }
        }
    }

    @Provide
    Arbitrary<Key<?>> coreKeys() {
        return Arbitraries.of(new CoreSettings().settings().stream().flatMap(k -> k.keys().stream()).toList());
    }

    @net.jqwik.api.Example
    void nullIsRefusedByTheConvertersWithAnIllegalArgument() {
        assertThatThrownBy(() -> DurationConverter.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BooleanConverter().convert(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
