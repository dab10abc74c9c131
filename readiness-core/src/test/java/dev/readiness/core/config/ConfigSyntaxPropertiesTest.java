package dev.readiness.core.config;

import dev.readiness.core.catalog.CoreSettings;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

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
    private static Gen<String> hostile() {
        Gen<String> any = Gen.strings().all().ofMaxLength(40);
        Gen<String> configish = Gen.strings().withChars("0123456789-+.,:;PTHMSDnsumhdxXeE \t\r\n\u0000")
                .ofMaxLength(30);
        Gen<String> classic = Gen.of("", " ", "\t", "\u0000", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649", "NaN", "Infinity",
                "1e3", "0x10", "٣", "١٢s", "５s", "999999999999d", "-999999999999d", "999999999999us",
                "9999999999999s", "PT9223372036854775807S", "PT-9223372036854775808S", "P106751991167301D",
                "PT2562047788015215H", "-PT-1S", "P", "PT", "PT1.0000000001S", "true\u0000", "yes ", "ON",
                "/tmp/\u0000x", "a,,b", ",", " , ", "\r\n", "\uD800", "\uFFFF");
        Gen<String> nearValid = Gen.combine(Gen.longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
                Gen.of(UNITS), Gen.of("", " ", "\t", "x", "\u0000"), (n, u, junk) -> n + u + junk);
        Gen<String> veryLong = Gen.strings().withChars("9").ofMinLength(1000).ofMaxLength(5000);
        return Gen.frequencyOf(Gen.weight(4, any), Gen.weight(4, configish), Gen.weight(3, classic),
                Gen.weight(3, nearValid), Gen.weight(1, veryLong));
    }

    @Test
    void durationTextIsADurationOrAnIllegalArgument() {
        Fuzz.forAll(2000, hostile(), text -> {
            try {
                Duration d = DurationConverter.parse(text);
                // trim() drops every character up to U+0020, so control characters alone are "not set" too
                assertThat(d == null).isEqualTo(text.trim().isEmpty());
            } catch (IllegalArgumentException expected) {
                assertThat(expected).hasMessageContaining(DurationConverter.ALLOWED);
            }
        });
    }

    private record Simple(long n, String unit, boolean upper) {
    }

    @Test
    void simpleDurationsReadAsWritten() {
        Gen<Simple> simple = Gen.combine(Gen.longs().between(-999_999_999_999L, 999_999_999_999L), units(),
                Gen.of(false, true), Simple::new);
        Fuzz.forAll(1000, simple, s -> {
            long n = s.n();
            String unit = s.unit();
            String text = " " + (s.upper() ? (n + unit).toUpperCase(Locale.ROOT) : n + unit) + "\t";
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
        });
    }

    private static Gen<String> units() {
        return Gen.of(UNITS);
    }

    /** What the duration syntax accepts it writes back in a form it accepts, to the same value. */
    @Test
    void everyReadableDurationFormatsToTextThatReadsBackTheSame() {
        Fuzz.forAll(2000, durations(), d -> {
            String written = Syntax.DURATION.format(d);
            assertThat(Syntax.DURATION.parse(written)).as(written).isEqualTo(d);
        });
    }

    private static Gen<Duration> durations() {
        Gen<Duration> simple = Gen.combine(Gen.longs().between(-999_999_999_999L, 999_999_999_999L), Gen.of(UNITS),
                (n, u) -> DurationConverter.parse(n + u));
        Gen<Duration> iso = Gen.combine(Gen.longs(), Gen.integers().between(0, 999_999_999),
                (s, nanos) -> Duration.ofSeconds(s, nanos));
        return Gen.oneOf(simple, iso);
    }

    @Test
    void booleanTextIsOneOfTheWordsOrAnIllegalArgument() {
        Set<String> yes = Set.of("true", "yes", "on", "1");
        Set<String> no = Set.of("false", "no", "off", "0");
        Fuzz.forAll(2000, hostile(), text -> {
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
        });
    }

    @Test
    void everySyntaxRefusesOnlyWithAnIllegalArgument() {
        Fuzz.forAll(2000, hostile(), text -> {
            for (Syntax<?> s : List.of(Syntax.DURATION, Syntax.BOOLEAN, Syntax.INTEGER, Syntax.LONG, Syntax.TEXT,
                    Syntax.PATH, Syntax.listOf(Syntax.INTEGER), Syntax.listOf(Syntax.DURATION),
                    Syntax.choice(Locale.Category.class))) {
                try {
                    s.parse(text);
                } catch (IllegalArgumentException expected) {
                    // the documented refusal
                }
            }
        });
    }

    private record Numbers(int n, long l, String before, String after) {
    }

    @Test
    void integersReadAsWrittenWithBlanksAround() {
        Gen<Numbers> numbers = Gen.combine(Gen.integers(), Gen.longs(), blank(), blank(), Numbers::new);
        Fuzz.forAll(1000, numbers, x -> {
            int n = x.n();
            long l = x.l();
            assertThat(Syntax.INTEGER.parse(x.before() + n + x.after())).isEqualTo(n);
            assertThat(Syntax.LONG.parse(x.before() + l + x.after())).isEqualTo(l);
            assertThat(Syntax.INTEGER.parse(Syntax.INTEGER.format(n))).isEqualTo(n);
        });
    }

    @Test
    void wholeNumbersAreAsciiDigitsOnly() {
        for (String text : new String[] {"\u0664\u0662", "4\u0662", "\uff14\uff12", "\u096a\u0968", "4_2", "0x2a", "4e2",
                "42.0", "--42", "+-42", "4 2", "", " ", "9".repeat(31)}) {
            assertThatThrownBy(() -> Syntax.INTEGER.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Syntax.LONG.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Syntax.INTEGER.parse("+42")).isEqualTo(42);
        assertThat(Syntax.INTEGER.parse(" -0007 ")).isEqualTo(-7);
        assertThatThrownBy(() -> Syntax.INTEGER.parse("2147483648")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a whole number");
        assertThat(Syntax.LONG.parse("2147483648")).isEqualTo(2_147_483_648L);
        assertThatThrownBy(() -> Key.integer("readiness.management.port").parse("\u0668\u0660\u0668\u0661"))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.management.port");
    }

    private static Gen<String> blank() {
        return Gen.strings().withChars(" \t\r\n").ofMaxLength(3);
    }

    /** Lists of up to 255 elements, empty ones included. */
    @Test
    void listsOfIntegersRoundTrip() {
        Syntax<List<Integer>> s = Syntax.listOf(Syntax.INTEGER);
        Fuzz.forAll(500, Gen.integers().between(-100_000, 100_000).list().ofMaxSize(255), values -> {
            assertThat(s.parse(s.format(values))).isEqualTo(values);
        });
    }

    @Test
    void nullIsRefusedByTheConvertersWithAnIllegalArgument() {
        assertThatThrownBy(() -> DurationConverter.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BooleanConverter().convert(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
