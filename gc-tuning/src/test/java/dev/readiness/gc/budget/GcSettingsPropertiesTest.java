package dev.readiness.gc.budget;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

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

    private static Gen<String> hostile() {
        Gen<String> exponent = Gen.combine(Gen.of("1", "5", "0.5", "9.99", "1000000"),
                Gen.of("e", "E", "e-", "E-", "e+"), Gen.longs().between(0, 3_000_000_000L),
                Gen.of("", "Ki", "Mi", "Gi", "Ti", "k", "K", "M", "G", "T"), (m, e, x, s) -> m + e + x + s);
        return Gen.frequencyOf(
                Gen.weight(3, Gen.strings().all().ofMaxLength(30)),
                Gen.weight(3, Gen.strings().withChars("0123456789.eE+-kmgtKMGTi \t").ofMaxLength(25)),
                Gen.weight(3, exponent),
                Gen.weight(2, Gen.of("", " ", "0", "-0", "+1", "9223372036854775807", "9223372036854775808",
                        "8796093022207k", "8796093022208k", "8589934591g", "8589934592g", "8388607t", "8388608t",
                        "٥m", "５m", "1_000m", "0x10m", "NaN", "Infinity", "1e9", "1.5Gi", "0.0000001", "1m ",
                        "\u0000", "512Mi\u0000", "1e-99999999Ki", "99999999999999999999")),
                Gen.weight(1, Gen.strings().withChars("0123456789").ofMinLength(20).ofMaxLength(2000)));
    }

    @Test
    void aJvmSizeIsBytesOrAnIllegalArgument() {
        Fuzz.forAll(2000, hostile(), text -> {
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
        });
    }

    private record Size(long n, String unit) {
    }

    @Test
    void aJvmSizeReadsToItsBytes() {
        Fuzz.forAll(1000, Gen.combine(Gen.longs().between(0, Long.MAX_VALUE), jvmUnits(), Size::new),
                size -> jvmSizeReadsToItsBytes(size.n(), size.unit()));
    }

    private static void jvmSizeReadsToItsBytes(long n, String unit) {
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

    private static Gen<String> jvmUnits() {
        return Gen.of("", "k", "K", "m", "M", "g", "G", "t", "T");
    }

    @Test
    void aQuantityIsBytesOrAnIllegalArgumentAndNeverTakesLong() {
        Fuzz.forAll(2000, hostile(), text -> {
            try {
                long v = assertTimeoutPreemptively(FAST, () -> Sizes.parseQuantity(text),
                        () -> "parsing '" + text + "'");
                assertThat(v).isPositive();
            } catch (IllegalArgumentException refused) {
                assertThat(refused).hasMessageContaining("'" + text + "'");
            }
        });
    }

    private record Quantity(BigDecimal number, String unit) {
    }

    @Test
    void aQuantityReadsToItsBytesRoundedUp() {
        Fuzz.forAll(1000, Gen.combine(decimals(), quantityUnits(), Quantity::new),
                q -> quantityReadsToItsBytesRoundedUp(q.number(), q.unit()));
    }

    private static void quantityReadsToItsBytesRoundedUp(BigDecimal number, String unit) {
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

    private static Gen<BigDecimal> decimals() {
        return Gen.combine(Gen.longs().between(0, Long.MAX_VALUE), Gen.integers().between(-3, 12),
                (unscaled, scale) -> BigDecimal.valueOf(unscaled, scale));
    }

    private static Gen<String> quantityUnits() {
        return Gen.of("", "Ki", "Mi", "Gi", "Ti", "k", "K", "M", "G", "T");
    }

    private static final List<String> VARIABLES = List.of("HEADROOM_PERCENT", "MAX_HEAP_PERCENT", "MIN_HEAP",
            "THREAD_COUNT", "STACK_SIZE", "DIRECT_MEMORY", "CLASS_COUNT", "CLASS_LOAD_FACTOR", "APP_PATH", "XMS",
            "LOG_DIR", "HEAP_DUMP_DIR", "MEMORY_LIMIT", "CPU_LIMIT", "CPU_MILLICORES");

    /** Every READINESS_GC_* variable, one or two at a time with hostile values: a policy or a TuningException. */
    private record Variables(String name, String value, String other, String otherValue) {
    }

    @Test
    void everyVariableIsAPolicyOrATuningExceptionNamingIt() {
        Fuzz.forAll(2000, Gen.combine(variable(), hostile(), variable(), hostile(), Variables::new), x -> {
            Map<String, String> env = new java.util.HashMap<>();
            env.put(BudgetPolicy.PREFIX + x.other(), x.otherValue());
            env.put(BudgetPolicy.PREFIX + x.name(), x.value());
            try {
                BudgetPolicy p = assertTimeoutPreemptively(FAST, () -> BudgetPolicy.fromEnv(env));
                assertThat(p.headroomPercent()).isBetween(0, 50);
                p.memoryLimit().ifPresent(m -> assertThat(m).isPositive());
                p.cpuLimit().ifPresent(c -> assertThat(c).isPositive().isFinite());
            } catch (TuningException refused) {
                assertThat(refused.getMessage()).startsWith(BudgetPolicy.PREFIX);
                assertThat(refused.doesNotFit()).isFalse();
            }
        });
    }

    private static Gen<String> variable() {
        return Gen.of(VARIABLES);
    }

    /**
     * The user's JVM options from the environment ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) and the
     * command line: never an exception; an option that cannot be read is a problem left to the JVM.
     */
    private record Options(String toolOptions, String jdkOptions, List<String> commandLine) {
    }

    @Test
    void userOptionsNeverThrow() {
        Fuzz.forAll(2000, Gen.combine(options(), options(), commandLine(), Options::new), x -> {
            UserFlags f = UserFlags.parse(x.toolOptions(), x.jdkOptions(), x.commandLine());
            f.bytes(UserFlags.Option.MAX_HEAP).ifPresent(b -> assertThat(b).isNotNegative());
            assertThat(f.problems()).isNotNull();
        });
    }

    private static Gen<String> options() {
        Gen<String> option = Gen.combine(Gen.of("-Xmx", "-Xms", "-Xss", "-XX:MaxHeapSize=",
                        "-XX:ThreadStackSize=", "-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=", "-XX:+Use",
                        "-XX:HeapDumpPath=", "-XX:ActiveProcessorCount=", "-Xlog:gc", "-XX:", "-", "\"", "'", "=", ""),
                hostile(), (o, v) -> o + v);
        return Gen.oneOf(Gen.strings().all().ofMaxLength(80),
                option.list().ofMaxSize(6).map(l -> String.join(" ", l)));
    }

    /** Command lines without argfiles (an {@code @file} token reads a file: tested with real files elsewhere). */
    private static Gen<List<String>> commandLine() {
        return Gen.oneOf(options().map(UserFlags::tokenize), Gen.strings().all().ofMaxLength(20).list().ofMaxSize(6))
                .map(l -> l.stream().filter(t -> !t.startsWith("@")).toList());
    }
}
