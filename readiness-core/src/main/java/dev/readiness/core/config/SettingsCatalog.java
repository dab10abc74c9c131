package dev.readiness.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes what the settings declare, so nothing about a key is written twice by hand: the table in
 * {@code src/docs/settings.md} ({@link #markdown}) and the Spring Boot IDE metadata ({@link #springMetadata},
 * which the starter's build writes as {@code META-INF/additional-spring-configuration-metadata.json}).
 */
public final class SettingsCatalog {

    private SettingsCatalog() {
    }

    /** One table per feature: key, default, allowed, meaning. */
    public static String markdown(List<Keys<?, ?>> settings) {
        StringBuilder b = new StringBuilder();
        for (Keys<?, ?> keys : settings) {
            b.append("### ").append(keys.feature()).append(" (`").append(keys.prefix()).append(".*`)\n\n");
            b.append("| key | default | allowed | meaning |\n|---|---|---|---|\n");
            for (Key<?> k : keys.keys()) {
                b.append("| `").append(k.name()).append("` | ")
                        .append(k.defaultText().map(t -> k.defaultValue() != null ? "`" + t + "`" : t).orElse(""))
                        .append(" | ").append(cell(k.allowed().replaceFirst("^must be ", "")))
                        .append(" | ").append(cell(k.meaning())).append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Spring Boot configuration metadata (the {@code properties} of every key, with type, default and meaning). */
    public static String springMetadata(List<Keys<?, ?>> settings) {
        StringBuilder b = new StringBuilder("{\n  \"properties\": [");
        boolean first = true;
        for (Keys<?, ?> keys : settings) {
            for (Key<?> k : keys.keys()) {
                b.append(first ? "\n" : ",\n");
                first = false;
                b.append("    {\n      \"name\": ").append(json(k.name()))
                        .append(",\n      \"type\": ").append(json(k.syntax().typeName()))
                        .append(",\n      \"description\": ").append(json(k.meaning() + " Allowed: "
                                + k.allowed().replaceFirst("^must be ", "") + "."));
                if (k.defaultValue() != null) {
                    b.append(",\n      \"defaultValue\": ").append(defaultJson(k));
                }
                b.append("\n    }");
            }
        }
        return b.append("\n  ]\n}\n").toString();
    }

    /**
     * Writes the Spring Boot metadata of every module on the class path to {@code args[0]}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SettingsCatalog <metadata.json to write>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        List<Keys<?, ?>> all = SettingsProvider.all(SettingsCatalog.class.getClassLoader());
        Files.writeString(out, springMetadata(all), StandardCharsets.UTF_8);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String defaultJson(Key k) {
        Object v = k.defaultValue();
        if (v instanceof Boolean || v instanceof Integer) {
            return v.toString();
        }
        return json(k.syntax().format(v));
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
