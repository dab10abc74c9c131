package dev.readiness.core.reload;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The ConfigMap file formats ({@link Formats}, {@link YamlFlattener}) read whatever a ConfigMap holds: every text is
 * keys or a {@link ReadFailure} of {@link ReloadResult#INVALID}, never another exception (no stack overflow on deep
 * nesting, no expansion of aliases), and what a writer of the format produced reads back to the same keys.
 */
class ConfigMapFormatsPropertiesTest {

    private final Formats formats = new Formats(true);

    // ------------------------------------------------------------------- .properties

    @Property(tries = 2000)
    void propertiesTextIsKeysOrAnInvalidFile(@ForAll("propertiesish") String text) {
        parsedOrInvalid("app.properties", text);
    }

    @Provide
    Arbitrary<String> propertiesish() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("ab=:#! \\u0123456789abcdefABCDEF\n\r\t\f\u0000").ofMaxLength(200),
                Arbitraries.of("\\u", "a=\\u12", "a=\\uZZZZ", "a\\", "\\\n\\\n\\", "a=b\\\r\n  c", "\uFEFFa=b"));
    }

    @Property(tries = 1000)
    void storedPropertiesReadBackToTheSameKeys(@ForAll("anyMap") Map<String, String> values) throws Exception {
        Properties p = new Properties();
        p.putAll(values);
        StringWriter w = new StringWriter();
        p.store(w, "generated");
        assertThat(formats.parse("app.properties", w.toString())).isEqualTo(values);
    }

    @Provide
    Arbitrary<Map<String, String>> anyMap() {
        return Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(20), Arbitraries.strings().all().ofMaxLength(40))
                .ofMaxSize(20);
    }

    // ------------------------------------------------------------------- YAML

    @Property(tries = 2000)
    void yamlTextIsKeysOrAnInvalidFile(@ForAll("yamlish") String text) {
        parsedOrInvalid("app.yaml", text);
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> syntax = Arbitraries.strings().withChars("ab:{}[],-?&*!|>'\"#%@` \n\t<~.0123456789")
                .ofMaxLength(200);
        Arbitrary<String> tag = Arbitraries.of("!!binary", "!!set", "!!timestamp", "!!omap", "!!pairs", "!!float",
                "!!int", "!!bool", "!!str", "!!null", "!!merge", "!!map", "!!seq", "!!python/object", "!foo",
                "!<tag:yaml.org,2002:str>", "!!java.io.File", "");
        Arbitrary<String> value = Arbitraries.of("x", "1", "2026-01-01", "aGVsbG8=", "[a, b]", "{a: 1}", "~", "",
                "*a", "&a x", "[[a, b], [c]]", "[{a: 1}, {b: 2}]", "{? [a]: b}", "|\n  block", "\"\\u0000\"", "-.inf");
        Arbitrary<String> tagged = net.jqwik.api.Combinators.combine(tag, value, tag, Arbitraries.of("k", "1", "[a]",
                        "{a: b}", "<<", "~", "?", "2026-01-01", "aGVsbG8=", "[a, b]"))
                .as((vt, v, kt, k) -> "base: &a {x: 1}\n" + kt + " " + k + ": " + vt + " " + v + "\n");
        Arbitrary<String> merge = Arbitraries.of("<<: 1", "<<: [1, 2]", "<<: *a", "<<: [*a, *a]", "<<: {}", "<<: ~",
                "<<: [[a]]", "<<: !!binary aGVsbG8=").map(m -> "a: &a {x: 1}\nb:\n  " + m + "\n");
        Arbitrary<String> deep = deep();
        return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(4, syntax), Tuple.of(10, tagged), Tuple.of(1, merge),
                Tuple.of(1, deep));
    }

    private static Arbitrary<String> deep() {
        Arbitrary<Integer> depth = Arbitraries.integers().between(1, 20_000);
        return Arbitraries.of("flowList", "flowMap", "block", "blockList").flatMap(kind -> depth.map(n -> switch (kind) {
            case "flowList" -> "a: " + "[".repeat(n) + "]".repeat(n);
            case "flowMap" -> "a: " + "{a: ".repeat(n) + "1" + "}".repeat(n);
            case "block" -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < Math.min(n, 2000); i++) {
                    b.append(" ".repeat(i)).append("k:\n");
                }
                yield b.toString();
            }
            default -> "a:\n" + "- ".repeat(Math.min(n, 5000)) + "x\n";
        }));
    }

    /**
     * A file reads to the same keys at every read, whatever the JVM's time zone: no identity hash
     * ({@code [B@1b6d3586}) and no zone-dependent rendering in a key or a value.
     */
    @Property(tries = 1000)
    void theSameYamlReadsToTheSameKeysEveryTimeInAnyZone(@ForAll("yamlish") String text) {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        Object first;
        Object second;
        try {
            first = outcome(text);
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Kiritimati"));
            second = outcome(text);
        } finally {
            java.util.TimeZone.setDefault(zone);
        }
        assertThat(second).as(text).isEqualTo(first);
    }

    private Object outcome(String text) {
        try {
            return formats.parse("app.yaml", text);
        } catch (ReadFailure f) {
            return f.getMessage();
        }
    }

    /** Nesting beyond SnakeYAML's limit of 50 is an invalid file; within it, keys. Never a StackOverflowError. */
    @Property(tries = 300)
    void deepNestingIsRefusedBeyondTheLimitNeverAStackOverflow(@ForAll @IntRange(min = 1, max = 50_000) int depth) {
        String text = "a: " + "[".repeat(depth) + "x" + "]".repeat(depth);
        try {
            Map<String, String> m = formats.parse("app.yaml", text);
            assertThat(depth).isLessThan(50);
            assertThat(m).containsOnlyKeys("a" + "[0]".repeat(depth));
        } catch (ReadFailure f) {
            assertThat(f.result()).isEqualTo(ReloadResult.INVALID);
            assertThat(depth).isGreaterThanOrEqualTo(49);
        }
    }

    /** A nested document written by SnakeYAML's dumper flattens to the dotted and indexed keys of its leaves. */
    @Property(tries = 1000)
    void dumpedYamlFlattensToItsLeaves(@ForAll("documents") Map<String, Object> doc) throws ReadFailure {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(doc.size() % 2 == 0 ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.FLOW);
        String text = new Yaml(o).dump(doc);
        Map<String, String> expected = new LinkedHashMap<>();
        leaves("", doc, expected);
        assertThat(formats.parse("app.yaml", text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Map<String, Object>> documents() {
        Arbitrary<String> key = Arbitraries.strings().withChars("abcxyz0123456789_-").ofMinLength(1).ofMaxLength(6);
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30).filter(ConfigMapFormatsPropertiesTest::printable),
                Arbitraries.of("1.10", "08", "yes", "null", "~", "", "2026-01-01", "0x1F", ".inf", "true", "<<", "- a",
                        "a: b", "#x", "&a", "*a", "!!binary", "\"q\"", "'q'", " lead", "trail ", "multi\nline\n"));
        Arbitrary<Object> level2 = Arbitraries.oneOf(scalar,
                scalar.list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(key, scalar).ofMinSize(1).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m)));
        Arbitrary<Object> level1 = Arbitraries.oneOf(scalar,
                level2.list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(key, level2).ofMinSize(1).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m)));
        return Arbitraries.maps(key, level1).ofMaxSize(8).map(LinkedHashMap::new);
    }

    /**
     * SnakeYAML's dumper writes a string it cannot print as !!binary, which a config file must not hold, and writes
     * YAML 1.1's other line breaks (NEL, LS, PS) into block scalars that its reader reads back as newlines.
     */
    private static boolean printable(String s) {
        return org.yaml.snakeyaml.reader.StreamReader.isPrintable(s)
                && s.chars().noneMatch(c -> c == 0x85 || c == 0x2028 || c == 0x2029);
    }

    private static void leaves(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> leaves(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, out));
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                leaves(prefix + "[" + i + "]", l.get(i), out);
            }
        } else {
            out.put(prefix, value.toString());
        }
    }

    // ------------------------------------------------------------------- shared

    private void parsedOrInvalid(String name, String text) {
        try {
            Map<String, String> m = formats.parse(name, text);
            m.forEach((k, v) -> {
                assertThat(k).isNotNull();
                assertThat(v).isNotNull();
            });
        } catch (ReadFailure f) {
            assertThat(f.result()).isEqualTo(ReloadResult.INVALID);
            assertThat(f.getMessage()).startsWith(name + ":");
        } catch (RuntimeException | StackOverflowError e) {
            fail(name + " threw " + e + " for " + preview(text), e);
        }
    }

    private static String preview(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text;
    }
}
