package dev.readiness.testkit.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test inputs for {@link Fuzz#forAll}: a function of a seeded {@link Random}, so a run is
 * reproducible from its seed. The factories and combinators cover what the parser tests of this project need:
 * strings over chosen characters and lengths, numbers in ranges with their edges, choices, weighted choices,
 * lists, maps, byte arrays, and combinations. Every generator now and then yields its edge cases (the empty
 * string, the bounds of a range), which is where parsers break first.
 *
 * @param <T> what it generates
 */
@FunctionalInterface
public interface Gen<T> {

    /** One value, drawn from {@code random} only. */
    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f, "f");
        return r -> f.apply(next(r));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> f) {
        Objects.requireNonNull(f, "f");
        return r -> f.apply(next(r)).next(r);
    }

    /** Only values that {@code keep} accepts; fails after 10,000 refusals in a row rather than spinning. */
    default Gen<T> filter(Predicate<? super T> keep) {
        Objects.requireNonNull(keep, "keep");
        return r -> {
            for (int i = 0; i < 10_000; i++) {
                T t = next(r);
                if (keep.test(t)) {
                    return t;
                }
            }
            throw new IllegalStateException("filter refused 10,000 values in a row: the generator rarely meets it");
        };
    }

    /** This generator, or {@code null} with probability {@code p}. */
    default Gen<T> injectNull(double p) {
        return r -> r.nextDouble() < p ? null : next(r);
    }

    /** Lists of this generator's values, 0 to 10 long unless bounded. */
    default Lists<T> list() {
        return new Lists<>(this, 0, 10, false);
    }

    // ------------------------------------------------------------------------------------------- factories

    static <T> Gen<T> just(T value) {
        return r -> value;
    }

    /** One of {@code values}, evenly. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    /** One of {@code values}, evenly. */
    static <T> Gen<T> of(Collection<? extends T> values) {
        List<T> copy = List.copyOf(values);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no values to choose from");
        }
        return r -> copy.get(r.nextInt(copy.size()));
    }

    /** One of the generators, evenly, drawn anew each time. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> copy = List.of(gens);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no generators to choose from");
        }
        return r -> copy.get(r.nextInt(copy.size())).next(r);
    }

    /** A generator and its weight, for {@link #frequencyOf}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
        public Weighted {
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1, was " + weight);
            }
            Objects.requireNonNull(gen, "gen");
        }
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** One of the generators, each as often as its weight says. */
    @SafeVarargs
    static <T> Gen<T> frequencyOf(Weighted<? extends T>... weighted) {
        List<Weighted<? extends T>> copy = List.of(weighted);
        int total = copy.stream().mapToInt(Weighted::weight).sum();
        return r -> {
            int pick = r.nextInt(total);
            for (Weighted<? extends T> w : copy) {
                pick -= w.weight();
                if (pick < 0) {
                    return w.gen().next(r);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    static <A, B, R> Gen<R> combine(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return r -> f.apply(a.next(r), b.next(r));
    }

    /** A function of three values, for {@link #combine(Gen, Gen, Gen, Function3)}. */
    @FunctionalInterface
    interface Function3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** A function of four values, for {@link #combine(Gen, Gen, Gen, Gen, Function4)}. */
    @FunctionalInterface
    interface Function4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    static <A, B, C, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Function3<? super A, ? super B, ? super C, ? extends R> f) {
        return r -> f.apply(a.next(r), b.next(r), c.next(r));
    }

    static <A, B, C, D, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d,
                                          Function4<? super A, ? super B, ? super C, ? super D, ? extends R> f) {
        return r -> f.apply(a.next(r), b.next(r), c.next(r), d.next(r));
    }

    /** Strings of any UTF-16 code units (lone surrogates included), 0 to 255 long unless bounded. */
    static Strings strings() {
        return new Strings(null, 0, 255);
    }

    /** Integers over the whole range unless bounded; the bounds, 0 and ±1 come up often. */
    static Ints integers() {
        return new Ints(new Longs(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /** Longs over the whole range unless bounded; the bounds, 0 and ±1 come up often. */
    static Longs longs() {
        return new Longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Finite doubles of every magnitude (drawn from random bits, so tiny, huge and subnormal values all come up);
     * 0.0, -0.0, ±1, ±{@link Double#MAX_VALUE}, {@link Double#MIN_VALUE} and {@link Double#MIN_NORMAL} often.
     */
    static Gen<Double> doubles() {
        double[] edges = {0.0, -0.0, 1.0, -1.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL};
        return r -> {
            if (r.nextInt(10) == 0) {
                return edges[r.nextInt(edges.length)];
            }
            double d;
            do {
                d = Double.longBitsToDouble(r.nextLong());
            } while (!Double.isFinite(d));
            return d;
        };
    }

    /**
     * Big integers from {@code min} to {@code max}, both included, of every bit length up to theirs; the bounds,
     * 0 and ±1 often.
     */
    static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("range " + min + ".." + max);
        }
        BigInteger size = max.subtract(min).add(BigInteger.ONE);
        int bits = Math.max(min.bitLength(), max.bitLength());
        return r -> {
            BigInteger v = switch (r.nextInt(10)) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> BigInteger.valueOf(r.nextInt(3) - 1);
                default -> {
                    BigInteger m = new BigInteger(r.nextInt(bits + 1), r);
                    yield r.nextBoolean() ? m.negate() : m;
                }
            };
            return v.compareTo(min) >= 0 && v.compareTo(max) <= 0 ? v
                    : min.add(new BigInteger(size.bitLength() + 8, r).mod(size));
        };
    }

    /** Byte arrays of any bytes, 0 to 255 long unless bounded. */
    static Bytes bytes() {
        return new Bytes(0, 255);
    }

    /** Maps of 0 to 10 entries unless bounded; a key drawn twice keeps its last value. */
    static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int minSize, int maxSize) {
        Lists<K> k = keys.list().ofMinSize(minSize).ofMaxSize(maxSize);
        return r -> {
            Map<K, V> m = new LinkedHashMap<>();
            for (K key : k.next(r)) {
                m.put(key, values.next(r));
            }
            return m;
        };
    }

    /** A subset of {@code values}, in their order. */
    @SafeVarargs
    static <T> Gen<List<T>> subsetOf(T... values) {
        List<T> copy = List.of(values);
        return r -> {
            List<T> out = new ArrayList<>();
            for (T t : copy) {
                if (r.nextBoolean()) {
                    out.add(t);
                }
            }
            return out;
        };
    }

    // ------------------------------------------------------------------------------------------- builders

    /** Strings: characters from a set (or any), length between bounds. Immutable. */
    final class Strings implements Gen<String> {
        private final char[] chars; // null: any UTF-16 code unit
        private final int min;
        private final int max;

        private Strings(char[] chars, int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("lengths " + min + ".." + max);
            }
            this.chars = chars;
            this.min = min;
            this.max = max;
        }

        /** Only these characters (added to any chosen before). */
        public Strings withChars(String chosen) {
            return withChars(chosen.toCharArray());
        }

        public Strings withChars(char... chosen) {
            StringBuilder b = new StringBuilder(chars == null ? "" : new String(chars));
            b.append(chosen);
            return new Strings(b.toString().toCharArray(), min, max);
        }

        /** The characters from {@code from} to {@code to}, both included (added to any chosen before). */
        public Strings withCharRange(char from, char to) {
            StringBuilder b = new StringBuilder();
            for (char c = from; c <= to && c >= from; c++) {
                b.append(c);
                if (c == Character.MAX_VALUE) {
                    break;
                }
            }
            return withChars(b.toString());
        }

        public Strings ascii() {
            return withCharRange((char) 0, (char) 127);
        }

        public Strings alpha() {
            return withCharRange('a', 'z').withCharRange('A', 'Z');
        }

        public Strings numeric() {
            return withCharRange('0', '9');
        }

        public Strings whitespace() {
            return withChars(" \t\n\r\u000b\f\u00a0\u2028");
        }

        /** Any UTF-16 code unit again. */
        public Strings all() {
            return new Strings(null, min, max);
        }

        public Strings ofMinLength(int n) {
            return new Strings(chars, n, Math.max(n, max));
        }

        public Strings ofMaxLength(int n) {
            return new Strings(chars, Math.min(min, n), n);
        }

        public Strings ofLength(int n) {
            return new Strings(chars, n, n);
        }

        @Override
        public String next(Random r) {
            int edge = r.nextInt(16);
            int length = edge == 0 ? min : edge == 1 ? max : min + r.nextInt(max - min + 1);
            StringBuilder b = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                b.append(chars == null ? anyChar(r) : chars[r.nextInt(chars.length)]);
            }
            return b.toString();
        }

        private static char anyChar(Random r) {
            return switch (r.nextInt(8)) {
                case 0 -> (char) r.nextInt(32);                 // control characters, NUL included
                case 1 -> (char) (0xd800 + r.nextInt(0x800));   // surrogates, paired or not
                case 2 -> (char) r.nextInt(0x10000);
                default -> (char) (32 + r.nextInt(95));         // printable ASCII
            };
        }
    }

    /** Integers or longs in a range, its edges often. Immutable. */
    final class Longs implements Gen<Long> {
        private final long min;
        private final long max;

        private Longs(long min, long max) {
            if (max < min) {
                throw new IllegalArgumentException("range " + min + ".." + max);
            }
            this.min = min;
            this.max = max;
        }

        public Longs between(long from, long to) {
            return new Longs(from, to);
        }

        public Longs greaterOrEqual(long from) {
            return new Longs(from, max);
        }

        public Longs lessOrEqual(long to) {
            return new Longs(min, to);
        }

        @Override
        public Long next(Random r) {
            switch (r.nextInt(10)) {
                case 0 -> {
                    return min;
                }
                case 1 -> {
                    return max;
                }
                case 2 -> {
                    long[] near = {0, 1, -1};
                    long v = near[r.nextInt(near.length)];
                    if (v >= min && v <= max) {
                        return v;
                    }
                }
                default -> {
                }
            }
            long span = max - min + 1; // 0 when the range is the whole of long
            if (span <= 0) {
                long v = r.nextLong();
                return v < min || v > max ? min : v;
            }
            return min + Math.floorMod(r.nextLong(), span);
        }
    }

    /** Integers in a range, its edges often. Immutable. */
    final class Ints implements Gen<Integer> {
        private final Longs range;

        private Ints(Longs range) {
            this.range = range;
        }

        public Ints between(int from, int to) {
            return new Ints(range.between(from, to));
        }

        public Ints greaterOrEqual(int from) {
            return new Ints(range.between(from, range.max));
        }

        public Ints lessOrEqual(int to) {
            return new Ints(range.between(range.min, to));
        }

        @Override
        public Integer next(Random r) {
            return range.next(r).intValue();
        }
    }

    /** Byte arrays. Immutable. */
    final class Bytes implements Gen<byte[]> {
        private final int min;
        private final int max;

        private Bytes(int min, int max) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("sizes " + min + ".." + max);
            }
            this.min = min;
            this.max = max;
        }

        public Bytes ofMinSize(int n) {
            return new Bytes(n, Math.max(n, max));
        }

        public Bytes ofMaxSize(int n) {
            return new Bytes(Math.min(min, n), n);
        }

        public Bytes ofSize(int n) {
            return new Bytes(n, n);
        }

        @Override
        public byte[] next(Random r) {
            int edge = r.nextInt(16);
            int size = edge == 0 ? min : edge == 1 ? max : min + r.nextInt(max - min + 1);
            byte[] b = new byte[size];
            r.nextBytes(b);
            return b;
        }
    }

    /** Lists. Immutable. */
    final class Lists<T> implements Gen<List<T>> {
        private final Gen<T> element;
        private final int min;
        private final int max;
        private final boolean unique;

        private Lists(Gen<T> element, int min, int max, boolean unique) {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("sizes " + min + ".." + max);
            }
            this.element = element;
            this.min = min;
            this.max = max;
            this.unique = unique;
        }

        public Lists<T> ofMinSize(int n) {
            return new Lists<>(element, n, Math.max(n, max), unique);
        }

        public Lists<T> ofMaxSize(int n) {
            return new Lists<>(element, Math.min(min, n), n, unique);
        }

        public Lists<T> ofSize(int n) {
            return new Lists<>(element, n, n, unique);
        }

        /** No element twice; fewer than asked when the element generator has fewer distinct values. */
        public Lists<T> uniqueElements() {
            return new Lists<>(element, min, max, true);
        }

        @Override
        public List<T> next(Random r) {
            int edge = r.nextInt(16);
            int size = edge == 0 ? min : edge == 1 ? max : min + r.nextInt(max - min + 1);
            if (!unique) {
                List<T> out = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    out.add(element.next(r));
                }
                return out;
            }
            Set<T> out = new LinkedHashSet<>();
            for (int i = 0; i < size * 20 && out.size() < size; i++) {
                out.add(element.next(r));
            }
            return new ArrayList<>(out);
        }
    }
}
