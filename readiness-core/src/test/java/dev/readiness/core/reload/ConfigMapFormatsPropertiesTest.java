package dev.readiness.core.reload;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;
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

    @Test
    void propertiesTextIsKeysOrAnInvalidFile() {
        Fuzz.forAll(2000, propertiesish(), text -> parsedOrInvalid("app.properties", text));
    }

    private static Gen<String> propertiesish() {
        return Gen.oneOf(Gen.strings().all().ofMaxLength(200),
                Gen.strings().withChars("ab=:#! \\u0123456789abcdefABCDEF\n\r\t\f\u0000").ofMaxLength(200),
                Gen.of("\\u", "a=\\u12", "a=\\uZZZZ", "a\\", "\\\n\\\n\\", "a=b\\\r\n  c", "\uFEFFa=b"));
    }

    @Test
    void storedPropertiesReadBackToTheSameKeys() {
        Fuzz.forAll(1000, anyMap(), values -> {
            Properties p = new Properties();
            p.putAll(values);
            StringWriter w = new StringWriter();
            p.store(w, "generated");
            assertThat(formats.parse("app.properties", w.toString())).isEqualTo(values);
        });
    }

    private static Gen<Map<String, String>> anyMap() {
        return Gen.maps(Gen.strings().all().ofMaxLength(20), Gen.strings().all().ofMaxLength(40), 0, 20);
    }

    // ------------------------------------------------------------------- YAML

    @Test
    void yamlTextIsKeysOrAnInvalidFile() {
        Fuzz.forAll(2000, yamlish(), text -> parsedOrInvalid("app.yaml", text));
    }

    private static Gen<String> yamlish() {
        Gen<String> any = Gen.strings().all().ofMaxLength(200);
        Gen<String> syntax = Gen.strings().withChars("ab:{}[],-?&*!|>'\"#%@` \n\t<~.0123456789")
                .ofMaxLength(200);
        Gen<String> tag = Gen.of("!!binary", "!!set", "!!timestamp", "!!omap", "!!pairs", "!!float",
                "!!int", "!!bool", "!!str", "!!null", "!!merge", "!!map", "!!seq", "!!python/object", "!foo",
                "!<tag:yaml.org,2002:str>", "!!java.io.File", "");
        Gen<String> value = Gen.of("x", "1", "2026-01-01", "aGVsbG8=", "[a, b]", "{a: 1}", "~", "",
                "*a", "&a x", "[[a, b], [c]]", "[{a: 1}, {b: 2}]", "{? [a]: b}", "|\n  block", "\"\\u0000\"", "-.inf");
        Gen<String> tagged = Gen.combine(tag, value, tag, Gen.of("k", "1", "[a]",
                        "{a: b}", "<<", "~", "?", "2026-01-01", "aGVsbG8=", "[a, b]"),
                (vt, v, kt, k) -> "base: &a {x: 1}\n" + kt + " " + k + ": " + vt + " " + v + "\n");
        Gen<String> merge = Gen.of("<<: 1", "<<: [1, 2]", "<<: *a", "<<: [*a, *a]", "<<: {}", "<<: ~",
                "<<: [[a]]", "<<: !!binary aGVsbG8=").map(m -> "a: &a {x: 1}\nb:\n  " + m + "\n");
        Gen<String> deep = deep();
        return Gen.frequencyOf(Gen.weight(3, any), Gen.weight(4, syntax), Gen.weight(10, tagged),
                Gen.weight(1, merge), Gen.weight(1, deep));
    }

    private static Gen<String> deep() {
        Gen<Integer> depth = Gen.integers().between(1, 20_000);
        return Gen.of("flowList", "flowMap", "block", "blockList").flatMap(kind -> depth.map(n -> switch (kind) {
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
    @Test
    void theSameYamlReadsToTheSameKeysEveryTimeInAnyZone() {
        Fuzz.forAll(1000, yamlish(), text -> {
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
        });
    }

    private Object outcome(String text) {
        try {
            return formats.parse("app.yaml", text);
        } catch (ReadFailure f) {
            return f.getMessage();
        }
    }

    /** Nesting beyond SnakeYAML's limit of 50 is an invalid file; within it, keys. Never a StackOverflowError. */
    @Test
    void deepNestingIsRefusedBeyondTheLimitNeverAStackOverflow() {
        Fuzz.forAll(300, Gen.integers().between(1, 50_000), depth -> {
            String text = "a: " + "[".repeat(depth) + "x" + "]".repeat(depth);
            try {
                Map<String, String> m = formats.parse("app.yaml", text);
                assertThat(depth).isLessThan(50);
                assertThat(m).containsOnlyKeys("a" + "[0]".repeat(depth));
            } catch (ReadFailure f) {
                assertThat(f.result()).isEqualTo(ReloadResult.INVALID);
                assertThat(depth).isGreaterThanOrEqualTo(49);
            }
        });
    }

    /** A nested document written by SnakeYAML's dumper flattens to the dotted and indexed keys of its leaves. */
    @Test
    void dumpedYamlFlattensToItsLeaves() {
        Fuzz.forAll(1000, documents(), doc -> {
            DumperOptions o = new DumperOptions();
            o.setDefaultFlowStyle(doc.size() % 2 == 0 ? DumperOptions.FlowStyle.BLOCK : DumperOptions.FlowStyle.FLOW);
            String text = new Yaml(o).dump(doc);
            Map<String, String> expected = new LinkedHashMap<>();
            leaves("", doc, expected);
            assertThat(formats.parse("app.yaml", text)).as(text).isEqualTo(expected);
        });
    }

    private static Gen<Map<String, Object>> documents() {
        Gen<String> key = Gen.strings().withChars("abcxyz0123456789_-").ofMinLength(1).ofMaxLength(6);
        Gen<Object> scalar = Gen.oneOf(
                Gen.strings().all().ofMaxLength(30).map(ConfigMapFormatsPropertiesTest::printableOnly)
                        .filter(ConfigMapFormatsPropertiesTest::printable),
                Gen.of("1.10", "08", "yes", "null", "~", "", "2026-01-01", "0x1F", ".inf", "true", "<<", "- a",
                        "a: b", "#x", "&a", "*a", "!!binary", "\"q\"", "'q'", " lead", "trail ", "multi\nline\n"));
        Gen<Object> level2 = Gen.oneOf(scalar,
                scalar.list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) l),
                Gen.maps(key, scalar, 1, 4).map(m -> (Object) new LinkedHashMap<>(m)));
        Gen<Object> level1 = Gen.oneOf(scalar,
                level2.list().ofMinSize(1).ofMaxSize(4).map(l -> (Object) l),
                Gen.maps(key, level2, 1, 4).map(m -> (Object) new LinkedHashMap<>(m)));
        return Gen.maps(key, level1, 0, 8).map(LinkedHashMap::new);
    }

    /**
     * SnakeYAML's dumper writes a string it cannot print as !!binary, which a config file must not hold, and writes
     * YAML 1.1's other line breaks (NEL, LS, PS) into block scalars that its reader reads back as newlines.
     */
    private static boolean printable(String s) {
        return org.yaml.snakeyaml.reader.StreamReader.isPrintable(s)
                && s.chars().noneMatch(c -> c == 0x85 || c == 0x2028 || c == 0x2029);
    }

    /**
     * The text without the characters {@link #printable} refuses on their own (control characters but tab and line
     * ends, surrogates, NEL, LS, PS, U+FFFE, U+FFFF): filtering alone would keep mostly empty strings, as a third
     * of the code units {@link Gen#strings()} draws are such characters.
     */
    private static String printableOnly(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().filter(c -> !Character.isSurrogate((char) c) && printable(String.valueOf((char) c)))
                .forEach(c -> b.append((char) c));
        return b.toString();
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
