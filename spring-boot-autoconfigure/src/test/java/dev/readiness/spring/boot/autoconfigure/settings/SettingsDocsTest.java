package dev.readiness.spring.boot.autoconfigure.settings;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.SettingsCatalog;
import dev.readiness.core.config.SettingsProvider;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationprocessor.json.JSONArray;
import org.springframework.boot.configurationprocessor.json.JSONObject;

import dev.readiness.spring.boot.autoconfigure.ReadinessSettings;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings table in {@code src/docs/settings.md} and the IDE metadata the starter ships are what the builders
 * declare, key for key and default for default. Run with {@code -Dreadiness.settings.write=true} to rewrite the
 * table after adding a key.
 */
class SettingsDocsTest {

    private static final String BEGIN = "<!-- settings table: generated from the builders by SettingsDocsTest -->";
    private static final String END = "<!-- end of settings table -->";

    /** Modules whose settings the starter does not apply (no auto-configuration for them yet). */
    private static final Set<String> NOT_IN_THE_STARTER = Set.of();

    private final List<Keys<?, ?>> settings = SettingsProvider.all(getClass().getClassLoader());

    @Test
    void theDocsTableIsTheBuilders() throws Exception {
        Path doc = Path.of("..", "src", "docs", "settings.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s holds the marker %s", doc, BEGIN).isPositive();
        assertThat(end).isGreaterThan(begin);
        String expected = "\n\n" + SettingsCatalog.markdown(settings);
        String actual = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("readiness.settings.write") && !actual.equals(expected)) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end));
            actual = expected;
        }
        assertThat(actual).as("the table in %s; rewrite it with mvn test -pl spring-boot-autoconfigure"
                + " -Dtest=SettingsDocsTest -Dreadiness.settings.write=true", doc).isEqualTo(expected);
        for (Keys<?, ?> keys : settings) {
            for (Key<?> key : keys.keys()) {
                assertThat(actual).contains("| `" + key.name() + "` |");
            }
        }
    }

    @Test
    void theIdeMetadataIsTheBuilders() throws Exception {
        // what the jar ships: the configuration processor's output, merged with the builders' metadata
        Map<String, JSONObject> byName = new HashMap<>();
        String ours = ReadinessSettings.class.getProtectionDomain().getCodeSource().getLocation().toString();
        URL metadata = null;
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            if (url.toString().startsWith(ours) || url.toString().startsWith("jar:" + ours)) {
                metadata = url;
            }
        }
        assertThat(metadata).as("the starter's spring-configuration-metadata.json, under %s", ours).isNotNull();
        try (InputStream in = metadata.openStream()) {
            JSONArray properties = new JSONObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getJSONArray("properties");
            for (int i = 0; i < properties.length(); i++) {
                JSONObject p = properties.getJSONObject(i);
                assertThat(byName.put(p.getString("name"), p)).as("%s declared once", p.getString("name")).isNull();
            }
        }
        int checked = 0;
        for (Keys<?, ?> keys : settings) {
            if (NOT_IN_THE_STARTER.contains(keys.prefix())) {
                keys.keys().forEach(key -> assertThat(byName).as("the starter does not configure %s", key)
                        .doesNotContainKey(key.name()));
                continue;
            }
            for (Key<?> key : keys.keys()) {
                JSONObject p = byName.get(key.name());
                assertThat(p).as("IDE metadata of %s", key.name()).isNotNull();
                assertThat(p.getString("type")).isEqualTo(key.syntax().typeName());
                assertThat(p.getString("description")).startsWith(key.meaning());
                if (key.defaultValue() == null) {
                    assertThat(p.has("defaultValue")).as("%s has no default", key.name()).isFalse();
                } else {
                    assertThat(String.valueOf(p.get("defaultValue"))).as("default of %s", key.name())
                            .isEqualTo(formatDefault(key));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(settings).extracting(Keys::prefix).containsAll(NOT_IN_THE_STARTER);
    }

    private static <T> String formatDefault(Key<T> key) {
        return key.syntax().format(key.defaultValue());
    }
}
