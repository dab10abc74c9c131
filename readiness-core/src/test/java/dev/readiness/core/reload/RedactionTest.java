package dev.readiness.core.reload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void secretLookingKeysAreRecognised() {
        assertThat(Redaction.looksSecret("db.password")).isTrue();
        assertThat(Redaction.looksSecret("API_KEY")).isTrue();
        assertThat(Redaction.looksSecret("oauth.client-secret")).isTrue();
        assertThat(Redaction.looksSecret("github.token")).isTrue();
        assertThat(Redaction.looksSecret("tls.key")).isTrue();
        assertThat(Redaction.looksSecret("server.port")).isFalse();
        assertThat(Redaction.looksSecret("greeting")).isFalse();
    }

    @Test
    void changeLineNamesKeysAndNeverShowsSecretValues() {
        ConfigSnapshot before = snapshot(1, Map.of("db.password", "old-pw", "greeting", "hi", "gone", "x"));
        ConfigSnapshot after = snapshot(2, Map.of("db.password", "new-pw", "greeting", "hello", "api.token", "t0k"));
        ConfigChange change = ConfigChange.between(before, after);

        String names = Redaction.describe(change, false);
        String values = Redaction.describe(change, true);

        assertThat(names).isEqualTo("added 1: api.token; changed 2: db.password, greeting; removed 1: gone");
        assertThat(values).contains("greeting: 'hi' -> 'hello'").contains("db.password: ****** -> ******")
                .contains("api.token=******").doesNotContain("old-pw", "new-pw", "t0k");
    }

    @Test
    void aHugeChangeListsFiftyKeysAndCountsTheRest() {
        Map<String, String> many = new java.util.TreeMap<>();
        for (int i = 0; i < 120; i++) {
            many.put(String.format("k%03d", i), "v");
        }
        String line = Redaction.describe(ConfigChange.between(snapshot(0, Map.of()), snapshot(1, many)), false);
        assertThat(line).startsWith("added 120: k000, k001").contains("k049, ... and 70 more").doesNotContain("k050");
    }

    @Test
    void longAndMultilineValuesAreShortenedOnOneLine() {
        assertThat(Redaction.display("k", "a\nb")).isEqualTo("'a\\nb'");
        assertThat(Redaction.display("k", "x".repeat(200))).endsWith("(200 chars)").hasSizeLessThan(110);
    }

    @Test
    void scrubMasksSecretValuesQuotedByALibrary() {
        String msg = "SRCFG00039: The config property db.password with the config value \"s3cr3t\" threw";
        assertThat(Redaction.scrub(msg, Map.of("db.password", "s3cr3t", "port", "80")))
                .doesNotContain("s3cr3t").contains(Redaction.MASK);
    }

    static ConfigSnapshot snapshot(long gen, Map<String, String> values) {
        return new ConfigSnapshot(gen, values, Path.of("/x"), Instant.EPOCH, Map.of());
    }
}
