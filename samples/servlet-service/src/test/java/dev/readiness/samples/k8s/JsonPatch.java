package dev.readiness.samples.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 6902 {@code add}, {@code replace} and {@code remove} on parsed YAML, as kustomize applies them. */
final class JsonPatch {

    private JsonPatch() {
    }

    static void apply(Map<String, Object> doc, Map<String, Object> op) {
        String kind = (String) op.get("op");
        String path = (String) op.get("path");
        List<String> tokens = new ArrayList<>();
        for (String t : path.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        Object parent = doc;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, t, path);
        }
        String last = tokens.get(tokens.size() - 1);
        Object value = op.get("value");
        switch (kind) {
            case "add", "replace" -> {
                if (parent instanceof Map<?, ?>) {
                    Map<String, Object> m = Yaml.map(parent);
                    if (kind.equals("replace") && !m.containsKey(last)) {
                        throw new IllegalArgumentException("replace " + path + ": no such member");
                    }
                    m.put(last, value);
                } else {
                    List<Object> l = Yaml.list(parent);
                    if (last.equals("-")) {
                        l.add(value);
                    } else if (kind.equals("add")) {
                        l.add(Integer.parseInt(last), value);
                    } else {
                        l.set(Integer.parseInt(last), value);
                    }
                }
            }
            case "remove" -> {
                if (parent instanceof Map<?, ?>) {
                    if (Yaml.map(parent).remove(last) == null) {
                        throw new IllegalArgumentException("remove " + path + ": no such member");
                    }
                } else {
                    Yaml.list(parent).remove(Integer.parseInt(last));
                }
            }
            default -> throw new IllegalArgumentException("JSON patch op '" + kind + "' is not supported by the checks");
        }
    }

    private static Object child(Object parent, String token, String path) {
        Object next = parent instanceof Map<?, ?> m ? m.get(token) : Yaml.list(parent).get(Integer.parseInt(token));
        if (next == null) {
            throw new IllegalArgumentException("patch path " + path + ": '" + token + "' does not exist"
                    + " (a JSON patch add needs every parent to exist)");
        }
        return next;
    }
}
