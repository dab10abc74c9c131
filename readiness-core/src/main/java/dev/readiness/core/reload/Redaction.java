package dev.readiness.core.reload;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Keeps secret values out of logs and failure reasons. */
final class Redaction {

    static final String MASK = "******";
    private static final Pattern SECRET = Pattern.compile(
            ".*(password|passwd|pwd|secret|token|credential|private[-_.]?key|api[-_.]?key|access[-_.]?key"
                    + "|auth|cert|\\.pem|\\.key|\\.p12|\\.jks).*");
    private static final int MAX_SHOWN = 80;
    /** Key names listed per kind in one log line; a whole new ConfigMap would otherwise be one huge line. */
    static final int MAX_KEYS_LISTED = 50;

    private Redaction() {
    }

    /** True for keys whose values must never be logged: passwords, tokens, keys, credentials. */
    static boolean looksSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** A value as it may appear in a log line: masked for secret-looking keys, shortened, on one line. */
    static String display(String key, String value) {
        if (value == null) {
            return "<none>";
        }
        if (looksSecret(key)) {
            return MASK;
        }
        String v = value.replace("\r", "\\r").replace("\n", "\\n");
        return v.length() > MAX_SHOWN ? "'" + v.substring(0, MAX_SHOWN) + "'... (" + value.length() + " chars)"
                : "'" + v + "'";
    }

    /**
     * {@code text} with every value of a secret-looking key in {@code values} masked, for error messages that a
     * library might have built around a value (a failed conversion quotes it).
     */
    static String scrub(String text, Map<String, String> values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            if (v != null && v.length() >= 3 && looksSecret(e.getKey()) && out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /** One log line for a change: key names always; old and new values only when {@code withValues}. */
    static String describe(ConfigChange change, boolean withValues) {
        StringBuilder b = new StringBuilder();
        append(b, "added", change.added(), change, withValues);
        append(b, "changed", change.changed(), change, withValues);
        append(b, "removed", change.removed(), change, withValues);
        return b.length() == 0 ? "no key changed" : b.toString();
    }

    private static void append(StringBuilder b, String what, Set<String> keys, ConfigChange change,
                               boolean withValues) {
        if (keys.isEmpty()) {
            return;
        }
        if (b.length() > 0) {
            b.append("; ");
        }
        b.append(what).append(' ').append(keys.size()).append(": ");
        int listed = 0;
        for (String k : keys) {
            if (listed == MAX_KEYS_LISTED) {
                b.append(", ... and ").append(keys.size() - listed).append(" more");
                break;
            }
            if (listed++ > 0) {
                b.append(", ");
            }
            b.append(k);
            if (withValues) {
                String before = change.previous().values().get(k);
                String after = change.current().values().get(k);
                if (what.equals("added")) {
                    b.append('=').append(display(k, after));
                } else if (what.equals("changed")) {
                    b.append(": ").append(display(k, before)).append(" -> ").append(display(k, after));
                }
            }
        }
    }
}
