package dev.readiness.testkit.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Property-based tests without a framework: a property is checked against {@code tries} inputs drawn from a
 * {@link Gen} with a seeded {@link Random}, inside an ordinary JUnit test.
 * <pre>
 * &#64;Test
 * void anyTextIsADurationOrARefusalNamingTheKey() {
 *     Fuzz.forAll(2_000, Gen.strings(), text -&gt; {
 *         try {
 *             KEY.parse(text);
 *         } catch (ReadinessConfigException expected) {
 *             assertThat(expected).hasMessageContaining(KEY.name());
 *         }
 *     });
 * }
 * </pre>
 * <ul>
 *   <li><b>Reproducible.</b> Each property's seed is derived from the name of the test method that calls
 *       {@code forAll} and the base seed {@code -Dreadiness.fuzz.seed} (default 0), so a build tries the same
 *       inputs every time and a failure is a bug, not luck. Another base seed tries other inputs:
 *       {@code -Dreadiness.fuzz.seed=$RANDOM}; {@code -Dreadiness.fuzz.tries=10} multiplies every property's tries
 *       for a longer search.</li>
 *   <li><b>Shrunk.</b> A failing {@code String}, {@code byte[]} or {@code List} is made smaller (halves, then
 *       chunks, then single elements removed) while the property still fails, and both the input as drawn and as
 *       shrunk are in the failure, escaped so that control characters and lone surrogates show.</li>
 *   <li>Anything the property throws fails it: an assertion, or an exception the code under test should not
 *       throw.</li>
 * </ul>
 */
public final class Fuzz {

    private static final int SHRINK_BUDGET = 2_000;

    private Fuzz() {
    }

    /** A property of one input: returns normally when it holds, throws when it does not. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    /**
     * Checks {@code property} against {@code tries} inputs of {@code gen}.
     *
     * @throws AssertionError naming the try, the seed, the input as drawn and as shrunk, with the property's own
     *                        failure as the cause
     */
    public static <T> void forAll(int tries, Gen<T> gen, Property<? super T> property) {
        Objects.requireNonNull(gen, "gen");
        Objects.requireNonNull(property, "property");
        String caller = StackWalker.getInstance().walk(s -> s.skip(1).findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName().replaceAll("^lambda\\$(.*)\\$\\d+$", "$1"))
                .orElse("?"));
        long base = Long.getLong("readiness.fuzz.seed", 0L);
        long seed = base ^ mix(caller.hashCode());
        int total = Math.multiplyExact(Math.max(1, tries), Math.max(1, Integer.getInteger("readiness.fuzz.tries", 1)));
        Random random = new Random(seed);
        for (int i = 0; i < total; i++) {
            T input = gen.next(random);
            Throwable failure = failure(property, input);
            if (failure != null) {
                Object smallest = shrink(property, input);
                Throwable smallestFailure = smallest == input ? failure : failure(property, cast(smallest));
                AssertionError e = new AssertionError(caller + " failed at try " + (i + 1) + " of " + total
                        + " (base seed " + base + ", -Dreadiness.fuzz.seed=" + base + " repeats it)\n  input:  "
                        + show(input) + (smallest == input ? "" : "\n  shrunk: " + show(smallest))
                        + "\n  failure: " + smallestFailure, smallestFailure);
                throw e;
            }
        }
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    private static <T> Throwable failure(Property<? super T> property, T input) {
        try {
            property.check(input);
            return null;
        } catch (VirtualMachineError e) {
            if (e instanceof StackOverflowError || e instanceof OutOfMemoryError) {
                return e; // a parser's stack or heap blown by its input is a finding, not a broken build
            }
            throw e;
        } catch (Throwable t) {
            return t;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    /** The smallest variant of {@code input} found that still fails; {@code input} itself when none is. */
    private static <T> Object shrink(Property<? super T> property, T input) {
        Object current = input;
        int budget = SHRINK_BUDGET;
        boolean progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (Object candidate : smaller(current)) {
                if (--budget < 0) {
                    break;
                }
                if (failure(property, cast(candidate)) != null) {
                    current = candidate;
                    progress = true;
                    break;
                }
            }
        }
        return current;
    }

    /** Smaller variants: the first and second half, then each chunk of a quarter, an eighth... and each element removed. */
    private static List<Object> smaller(Object o) {
        List<Object> out = new ArrayList<>();
        int n = o instanceof String s ? s.length() : o instanceof byte[] b ? b.length : o instanceof List<?> l ? l.size() : 0;
        if (n == 0) {
            return out;
        }
        for (int chunk = n / 2; chunk >= 1; chunk /= 2) {
            for (int from = 0; from + chunk <= n; from += chunk) {
                out.add(without(o, from, from + chunk));
            }
            if (chunk == 1) {
                break;
            }
        }
        return out;
    }

    private static Object without(Object o, int from, int to) {
        if (o instanceof String s) {
            return s.substring(0, from) + s.substring(to);
        }
        if (o instanceof byte[] b) {
            byte[] out = new byte[b.length - (to - from)];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(b, to, out, from, b.length - to);
            return out;
        }
        List<?> l = (List<?>) o;
        List<Object> out = new ArrayList<>(l.subList(0, from));
        out.addAll(l.subList(to, l.size()));
        return out;
    }

    /** An input as a failure shows it: strings quoted and escaped, byte arrays in hex, at most 600 characters. */
    static String show(Object o) {
        String s;
        if (o instanceof String str) {
            s = '"' + escape(str) + '"' + " (" + str.length() + " chars)";
        } else if (o instanceof byte[] b) {
            StringBuilder h = new StringBuilder("bytes[").append(b.length).append("] ");
            for (byte x : b) {
                h.append(String.format("%02x", x & 0xff));
            }
            s = h.toString();
        } else if (o instanceof Object[] a) {
            s = Arrays.deepToString(a);
        } else {
            s = String.valueOf(o);
            s = escape(s);
        }
        return s.length() > 600 ? s.substring(0, 600) + "... (" + s.length() + " characters shown in full would be)" : s;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"') {
                b.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
