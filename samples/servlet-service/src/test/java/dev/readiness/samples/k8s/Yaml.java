package dev.readiness.samples.k8s;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SnakeYAML with the safe constructor, and navigation helpers that fail with the missing path. */
final class Yaml {

    private Yaml() {
    }

    private static org.yaml.snakeyaml.Yaml parser() {
        return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static Map<String, Object> load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return map(parser().load(in));
        }
    }

    static List<Map<String, Object>> loadAll(Reader in) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : parser().loadAll(in)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return new LinkedHashMap<>();
        }
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("expected a mapping, found: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List)) {
            throw new IllegalArgumentException("expected a list, found: " + o);
        }
        return (List<Object>) o;
    }

    static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** The mapping at {@code path}; fails naming the path when it is missing. */
    static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> m = root;
        StringBuilder seen = new StringBuilder();
        for (String p : path) {
            seen.append('.').append(p);
            Object next = m.get(p);
            if (next == null) {
                throw new IllegalArgumentException("missing " + seen.substring(1));
            }
            m = map(next);
        }
        return m;
    }

    /** The mapping under {@code key}, created when absent. */
    static Map<String, Object> mapAt(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            Map<String, Object> created = new LinkedHashMap<>();
            m.put(key, created);
            return created;
        }
        return map(v);
    }
}
