package dev.readiness.testkit.fuzz;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FuzzTest {

    /** A parser with a planted bug: a NUL anywhere throws what it should not. */
    private static int planted(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new NullPointerException("planted");
        }
        return s.length();
    }

    @Test
    void aPlantedBugIsFoundAndItsInputShrunkToTheOneCharacterThatBreaksIt() {
        assertThatThrownBy(() -> Fuzz.forAll(2_000, Gen.strings(), s -> planted(s)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("aPlantedBugIsFoundAndItsInputShrunkToTheOneCharacterThatBreaksIt failed at try")
                .hasMessageContaining("shrunk: \"\\u0000\" (1 chars)")
                .hasMessageContaining("-Dreadiness.fuzz.seed=0 repeats it")
                .hasCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void aPropertyThatHoldsPassesAndSeesEveryTry() {
        List<String> seen = new ArrayList<>();
        Fuzz.forAll(500, Gen.strings().withChars("ab").ofMaxLength(3), s -> {
            seen.add(s);
            assertThat(s).matches("[ab]{0,3}");
        });
        assertThat(seen).hasSize(500).contains("", "aaa", "bbb", "ab");
    }

    @Test
    void theSameTestDrawsTheSameInputsEveryRun() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (List<String> into : List.of(first, second)) {
            drawInto(into);
        }
        assertThat(first).isEqualTo(second).hasSize(50);
    }

    private static void drawInto(List<String> into) {
        Fuzz.forAll(50, Gen.strings(), into::add);
    }

    @Test
    void rangesYieldTheirEdgesAndStayInside() {
        Set<Long> seen = new HashSet<>();
        Fuzz.forAll(2_000, Gen.longs().between(-5, 1_000_000), v -> {
            assertThat(v).isBetween(-5L, 1_000_000L);
            seen.add(v);
        });
        assertThat(seen).contains(-5L, 0L, 1L, -1L, 1_000_000L);
        Fuzz.forAll(500, Gen.longs(), v -> assertThat(v).isNotNull());
        Fuzz.forAll(500, Gen.integers().between(1, 3), v -> assertThat(v).isBetween(1, 3));
    }

    @Test
    void combinatorsCompose() {
        Gen<String> line = Gen.combine(Gen.of("a", "b"), Gen.integers().between(0, 9), (k, v) -> k + "=" + v);
        Fuzz.forAll(300, line.list().ofMinSize(1).ofMaxSize(4), lines -> {
            assertThat(lines).hasSizeBetween(1, 4).allMatch(l -> l.matches("[ab]=[0-9]"));
        });
        Gen<String> weighted = Gen.frequencyOf(Gen.weight(9, Gen.just("often")), Gen.weight(1, Gen.just("rare")));
        int[] often = {0};
        Fuzz.forAll(1_000, weighted, s -> often[0] += s.equals("often") ? 1 : 0);
        assertThat(often[0]).isBetween(800, 980);
        Fuzz.forAll(200, Gen.maps(Gen.of("k1", "k2", "k3"), Gen.integers(), 0, 5), m -> assertThat(m.size()).isLessThanOrEqualTo(3));
        Fuzz.forAll(200, Gen.bytes().ofMaxSize(8), b -> assertThat(b.length).isLessThanOrEqualTo(8));
        Fuzz.forAll(200, Gen.bytes().ofSize(4), b -> assertThat(b).hasSize(4));
        Fuzz.forAll(200, Gen.of(1, 2, 3).list().ofSize(3).uniqueElements(), l -> assertThat(new HashSet<>(l)).hasSameSizeAs(l));
    }

    @Test
    void doublesAreFiniteOfEveryMagnitudeAndBigIntegersStayInTheirRange() {
        Set<Double> seen = new HashSet<>();
        int[] tiny = {0};
        int[] huge = {0};
        Fuzz.forAll(2_000, Gen.doubles(), d -> {
            assertThat(Double.isFinite(d)).isTrue();
            seen.add(d);
            tiny[0] += d != 0 && Math.abs(d) < 1e-100 ? 1 : 0;
            huge[0] += Math.abs(d) > 1e100 ? 1 : 0;
        });
        assertThat(seen).contains(0.0, -0.0, 1.0, -1.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE);
        assertThat(tiny[0]).isPositive();
        assertThat(huge[0]).isPositive();
        BigInteger bound = BigInteger.TWO.pow(126);
        Set<BigInteger> ints = new HashSet<>();
        Set<Integer> lengths = new HashSet<>();
        Fuzz.forAll(2_000, Gen.bigIntegers(bound.negate(), bound), b -> {
            assertThat(b).isBetween(bound.negate(), bound);
            ints.add(b);
            lengths.add(b.bitLength());
        });
        assertThat(ints).contains(bound.negate(), bound, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate());
        assertThat(lengths).contains(1, 32, 64, 100, 126);
        Fuzz.forAll(500, Gen.bigIntegers(BigInteger.valueOf(100), BigInteger.valueOf(200)),
                b -> assertThat(b).isBetween(BigInteger.valueOf(100), BigInteger.valueOf(200)));
    }

    @Test
    void aStackOverflowInTheCodeUnderTestIsAFindingNotACrash() {
        assertThatThrownBy(() -> Fuzz.forAll(10, Gen.just(0), x -> recurse(x)))
                .isInstanceOf(AssertionError.class).hasCauseInstanceOf(StackOverflowError.class);
    }

    private static int recurse(int x) {
        return recurse(x + 1) + 1;
    }

    @Test
    void failingByteArraysAndListsShrinkToo() {
        assertThatThrownBy(() -> Fuzz.forAll(500, Gen.bytes().ofMinSize(4), b -> {
            for (byte x : b) {
                if (x == (byte) 0xff) {
                    throw new IllegalStateException("0xff");
                }
            }
        })).hasMessageContaining("shrunk: bytes[1] ff");
        assertThatThrownBy(() -> Fuzz.forAll(500, Gen.integers().between(0, 50).list().ofMinSize(5), l -> {
            assertThat(l).doesNotContain(42);
        })).hasMessageContaining("shrunk: [42]");
    }

    @Test
    void aFilterThatRefusesEverythingSaysSoInsteadOfSpinning() {
        Gen<Integer> never = Gen.integers().filter(i -> false);
        assertThatThrownBy(() -> never.next(new Random(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10,000");
    }

    @Test
    void inputsAreShownEscaped() {
        assertThat(Fuzz.show("a\u0000\"\n\ud800")).isEqualTo("\"a\\u0000\\\"\\n\\ud800\" (5 chars)");
        assertThat(Fuzz.show(new byte[] {0, (byte) 0xab})).isEqualTo("bytes[2] 00ab");
    }
}
