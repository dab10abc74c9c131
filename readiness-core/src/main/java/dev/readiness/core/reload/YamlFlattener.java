package dev.readiness.core.reload;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.DumperOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens one YAML document into dotted keys ({@code server.port}) and indexed lists ({@code hosts[0]}), the
 * shape SmallRye Config and Spring read. Only SnakeYAML's safe constructor is used, with its limits on aliases,
 * nesting and size, and duplicate keys refused.
 * <p>
 * Scalars keep their text as written: {@code 1.10} stays {@code 1.10} and {@code 08} stays {@code 08}, because
 * a configuration value is text that the reader converts, not a float YAML guessed. {@code ~}, {@code null}
 * and an empty value become the empty string, which MicroProfile Config reads as "not set".
 */
final class YamlFlattener {

    private YamlFlattener() {
    }

    static Map<String, String> flatten(String name, String text) throws ReadFailure {
        Object doc;
        try {
            doc = yaml().load(text);
        } catch (MarkedYAMLException e) {
            // problem and position only: the snippet SnakeYAML quotes could hold a secret value
            Mark m = e.getProblemMark();
            String where = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            throw ReadFailure.invalid(name + ": invalid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw ReadFailure.invalid(name + ": invalid YAML: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML's constructors let some bad tagged nodes through unwrapped: !!binary that is not base64
            // (IllegalArgumentException), !!timestamp on a mapping (ClassCastException); the type only, as the
            // message could quote the value
            throw ReadFailure.invalid(name + ": invalid YAML: a tagged value that cannot be constructed ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw ReadFailure.invalid(name + ": invalid YAML: the document must be a mapping of keys, not a "
                    + (doc instanceof List ? "list" : "scalar"));
        }
        flattenMap(name, "", map, out);
        return out;
    }

    private static void flattenMap(String file, String prefix, Map<?, ?> map, Map<String, String> out)
            throws ReadFailure {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object k = e.getKey();
            if (!scalar(k)) {
                throw ReadFailure.invalid(file + ": invalid YAML: a key under '" + (prefix.isEmpty() ? "<root>"
                        : prefix) + "' is not a plain scalar");
            }
            String key = prefix.isEmpty() ? k.toString() : prefix + "." + k;
            put(file, key, e.getValue(), out);
        }
    }

    private static void put(String file, String key, Object value, Map<String, String> out) throws ReadFailure {
        if (value instanceof Map<?, ?> m) {
            flattenMap(file, key, m, out);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                put(file, key + "[" + i + "]", list.get(i), out);
            }
        } else if (value instanceof byte[]) {
            throw ReadFailure.invalid(file + ": invalid YAML: '" + key + "' is binary (!!binary); use a separate"
                    + " file for binary data");
        } else if (value == null || scalar(value)) {
            out.put(key, value == null ? "" : value.toString());
        } else {
            // !!timestamp (a Date printed in the JVM's zone), !!set, !!pairs (arrays print as identity hashes)
            throw ReadFailure.invalid(file + ": invalid YAML: '" + key + "' is " + tagOf(value) + ", not text;"
                    + " write it without the tag");
        }
    }

    /** What a key or value may be: text, or a number or boolean an explicit tag ({@code !!int}) asked for. */
    private static boolean scalar(Object o) {
        return o instanceof String || o instanceof Number || o instanceof Boolean;
    }

    private static String tagOf(Object value) {
        if (value instanceof java.util.Date) {
            return "a !!timestamp";
        }
        if (value instanceof java.util.Set) {
            return "a !!set";
        }
        if (value instanceof Object[]) {
            return "!!pairs";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, new TextResolver());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Resolves nulls and merge keys only; every other plain scalar stays a string. */
    private static final class TextResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }
}
