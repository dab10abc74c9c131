package dev.readiness.core.reload;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Turns one file into keys: the file itself is a key whose value is its text with one trailing newline trimmed
 * (how {@code kubectl create configmap --from-literal} and editors differ), and a {@code .properties},
 * {@code .yaml} or {@code .yml} file also yields the keys it defines.
 */
final class Formats {

    static final String SNAKEYAML_CLASS = "org.yaml.snakeyaml.Yaml";

    private final boolean yamlAvailable;

    Formats() {
        this(isPresent(SNAKEYAML_CLASS));
    }

    /** @param yamlAvailable whether SnakeYAML is on the class path; injectable to prove the failure without it */
    Formats(boolean yamlAvailable) {
        this.yamlAvailable = yamlAvailable;
    }

    boolean yamlAvailable() {
        return yamlAvailable;
    }

    /** True for the names whose content is parsed into keys. */
    static boolean parsed(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".properties") || n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /**
     * The text of a file, or {@code null} when it is not UTF-8 (a {@code binaryData} key: it has no text value).
     */
    static String text(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The value of a file key: its text without one trailing {@code \n} or {@code \r\n}. */
    static String trimNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    /**
     * The keys a parsed file defines, in file order.
     *
     * @throws ReadFailure ({@link ReloadResult#INVALID}) naming the file and the line, never a value
     */
    Map<String, String> parse(String name, String text) throws ReadFailure {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".properties")) {
            return properties(name, text);
        }
        if (!yamlAvailable) {
            throw ReadFailure.invalid(name + ": cannot parse YAML: SnakeYAML (org.yaml:snakeyaml) is not on the"
                    + " class path; add it, or ship the file as .properties");
        }
        return YamlHolder.parse(name, text);
    }

    private static Map<String, String> properties(String name, String text) throws ReadFailure {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            // Properties names the problem (a malformed \\uxxxx escape) without quoting the value
            throw ReadFailure.invalid(name + ": invalid properties: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw ReadFailure.invalid(name + ": invalid properties: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Formats.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when SnakeYAML is present: nothing else in this class names a SnakeYAML type. */
    private static final class YamlHolder {
        static Map<String, String> parse(String name, String text) throws ReadFailure {
            return YamlFlattener.flatten(name, text);
        }
    }
}
