package dev.readiness.gc.budget;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The container's settings the CLI reads before the JVM starts: sizes and quantities ({@link Sizes}), the
 * {@code READINESS_GC_*} variables ({@link BudgetPolicy}) and the user's JVM options ({@link UserFlags}). No text
 * makes them throw anything but {@link IllegalArgumentException} ({@link TuningException} for the variables), or
 * take long, and valid text reads to its value.
 */
class GcSettingsPropertiesTest {

    private static final Duration FAST = Duration.ofSeconds(2);

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> exponent = Combinators.combine(Arbitraries.of("1", "5", "0.5", "9.99", "1000000"),
                        Arbitraries.of("e", "E", "e-", "E-", "e+"), Arbitraries.longs().between(0, 3_000_000_000L),
                        Arbitraries.of("", "Ki", "Mi", "Gi", "Ti", "k", "K", "M", "G", "T"))
                .as((m, e, x, s) -> m + e + x + s);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(30)),
                Tuple.of(3, Arbitraries.strings().withChars("0123456789.eE+-kmgtKMGTi \t").ofMaxLength(25)),
                Tuple.of(3, exponent),
                Tuple.of(2, Arbitraries.of("", " ", "0", "-0", "+1", "9223372036854775807", "9223372036854775808",
                        "8796093022207k", "8796093022208k", "8589934591g", "8589934592g", "8388607t", "8388608t",
                        "٥m", "５m", "1_000m", "0x10m", "NaN", "Infinity", "1e9", "1.5Gi", "0.0000001", "1m ",
                        "\u0000", "512Mi\u0000", "1e-99999999Ki", "99999999999999999999")),
                Tuple.of(1, Arbitraries.strings().withChars("0123456789").ofMinLength(20).ofMaxLength(2000)));
    }

    @Property(tries = 2000)
    void aJvmSizeIsBytesOrAnIllegalArgument(@ForAll("hostile") String text) {
        long v;
        try {
            v = assertTimeoutPreemptively(FAST, () -> Sizes.parseJvm(text));
        } catch (IllegalArgumentException refused) {
            if (!text.trim().isEmpty()) {
                assertThat(refused).hasMessageContaining("'" + text + "'");
            }
            return;
        }
        // as the JVM reads it: ASCII digits and one unit letter
        assertThat(text.trim()).matches("[0-9]{1,19}[kKmMgGtT]?");
        assertThat(v).isNotNegative();
    }

    @Property(tries = 1000)
    void aJvmSizeReadsToItsBytes(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n,
                                 @ForAll("jvmUnits") String unit) {
        long multiplier = switch (unit.toLowerCase()) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1;
        };
        long expected;
        try {
            expected = Math.multiplyExact(n, multiplier);
        } catch (ArithmeticException tooLarge) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sizes.parseJvm(n + unit))
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(Sizes.parseJvm(n + unit)).isEqualTo(expected);
        assertThat(Sizes.parseJvm(Sizes.jvm(expected))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> jvmUnits() {
        return Arbitraries.of("", "k", "K", "m", "M", "g", "G", "t", "T");
    }

    @Property(tries = 2000)
    void aQuantityIsBytesOrAnIllegalArgumentAndNeverTakesLong(@ForAll("hostile") String text) {
        try {
            long v = assertTimeoutPreemptively(FAST, () -> Sizes.parseQuantity(text), () -> "parsing '" + text + "'");
            assertThat(v).isPositive();
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageContaining("'" + text + "'");
        }
    }

    @Property(tries = 1000)
    void aQuantityReadsToItsBytesRoundedUp(@ForAll("decimals") BigDecimal number, @ForAll("quantityUnits") String unit) {
        BigDecimal multiplier = switch (unit) {
            case "Ki" -> BigDecimal.valueOf(1L << 10);
            case "Mi" -> BigDecimal.valueOf(1L << 20);
            case "Gi" -> BigDecimal.valueOf(1L << 30);
            case "Ti" -> BigDecimal.valueOf(1L << 40);
            case "k", "K" -> BigDecimal.valueOf(1000);
            case "M" -> BigDecimal.valueOf(1_000_000);
            case "G" -> BigDecimal.valueOf(1_000_000_000);
            case "T" -> BigDecimal.valueOf(1_000_000_000_000L);
            default -> BigDecimal.ONE;
        };
        BigDecimal bytes = number.multiply(multiplier);
        String text = number.toString() + unit;
        if (bytes.signum() <= 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sizes.parseQuantity(text))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(Sizes.parseQuantity(text)).as(text)
                    .isEqualTo(bytes.setScale(0, RoundingMode.UP).longValueExact());
        }
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(-3, 12))
                .as(BigDecimal::valueOf);
    }

    @Provide
    Arbitrary<String> quantityUnits() {
        return Arbitraries.of("", "Ki", "Mi", "Gi", "Ti", "k", "K", "M", "G", "T");
    }

    private static final List<String> VARIABLES = List.of("HEADROOM_PERCENT", "MAX_HEAP_PERCENT", "MIN_HEAP",
            "THREAD_COUNT", "STACK_SIZE", "DIRECT_MEMORY", "CLASS_COUNT", "CLASS_LOAD_FACTOR", "APP_PATH", "XMS",
            "LOG_DIR", "HEAP_DUMP_DIR", "MEMORY_LIMIT", "CPU_LIMIT", "CPU_MILLICORES");

    /** Every READINESS_GC_* variable, one or two at a time with hostile values: a policy or a TuningException. */
    @Property(tries = 2000)
    void everyVariableIsAPolicyOrATuningExceptionNamingIt(@ForAll("variable") String name, @ForAll("hostile") String value,
                                                           @ForAll("variable") String other, @ForAll("hostile") String otherValue) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put(BudgetPolicy.PREFIX + other, otherValue);
        env.put(BudgetPolicy.PREFIX + name, value);
        try {
            BudgetPolicy p = assertTimeoutPreemptively(FAST, () -> BudgetPolicy.fromEnv(env));
            assertThat(p.headroomPercent()).isBetween(0, 50);
            p.memoryLimit().ifPresent(m -> assertThat(m).isPositive());
            p.cpuLimit().ifPresent(c -> assertThat(c).isPositive().isFinite());
        } catch (TuningException refused) {
            assertThat(refused.getMessage()).startsWith(BudgetPolicy.PREFIX);
            assertThat(refused.doesNotFit()).isFalse();
        }
    }

    @Provide
    Arbitrary<String> variable() {
        return Arbitraries.of(VARIABLES);
    }

    /**
     * The user's JVM options from the environment ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) and the
     * command line: never an exception; an option that cannot be read is a problem left to the JVM.
     */
    @Property(tries = 2000)
    void userOptionsNeverThrow(@ForAll("options") String toolOptions, @ForAll("options") String jdkOptions,
                               @ForAll("commandLine") List<String> commandLine) {
        UserFlags f = UserFlags.parse(toolOptions, jdkOptions, commandLine);
        f.bytes(UserFlags.Option.MAX_HEAP).ifPresent(b -> assertThat(b).isNotNegative());
        assertThat(f.problems()).isNotNull();
    }

    @Provide
    Arbitrary<String> options() {
        Arbitrary<String> option = Combinators.combine(Arbitraries.of("-Xmx", "-Xms", "-Xss", "-XX:MaxHeapSize=",
                        "-XX:ThreadStackSize=", "-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=", "-XX:+Use",
                        "-XX:HeapDumpPath=", "-XX:ActiveProcessorCount=", "-Xlog:gc", "-XX:", "-", "\"", "'", "=", ""),
                hostile()).as((o, v) -> o + v);
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
                option.list().ofMaxSize(6).map(l -> String.join(" ", l)));
    }

    /** Command lines without argfiles (an {@code @file} token reads a file: tested with real files elsewhere). */
    @Provide
    Arbitrary<List<String>> commandLine() {
        return Arbitraries.oneOf(options().map(UserFlags::tokenize), Arbitraries.strings().all().ofMaxLength(20)
                        .list().ofMaxSize(6))
                .map(l -> l.stream().filter(t -> !t.startsWith("@")).toList());
    }
}
