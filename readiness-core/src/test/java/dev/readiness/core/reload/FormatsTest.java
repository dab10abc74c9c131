package dev.readiness.core.reload;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class FormatsTest {

    private final Formats formats = new Formats();

    @Test
    void fileValueLosesExactlyOneTrailingNewline() {
        assertThat(Formats.trimNewline("8080\n")).isEqualTo("8080");
        assertThat(Formats.trimNewline("8080\r\n")).isEqualTo("8080");
        assertThat(Formats.trimNewline("a\n\n")).isEqualTo("a\n");
        assertThat(Formats.trimNewline("a")).isEqualTo("a");
        assertThat(Formats.trimNewline("")).isEmpty();
    }

    @Test
    void onlyPropertiesAndYamlFilesAreParsed() {
        assertThat(Formats.parsed("app.properties")).isTrue();
        assertThat(Formats.parsed("APP.YAML")).isTrue();
        assertThat(Formats.parsed("app.yml")).isTrue();
        assertThat(Formats.parsed("app.json")).isFalse();
        assertThat(Formats.parsed("properties")).isFalse();
    }

    @Test
    void propertiesYieldTheirKeys() throws ReadFailure {
        assertThat(formats.parse("app.properties", "a=1\nb = two words\n# comment\nc\\u00e9=\\u00e9\n"))
                .containsOnly(entry("a", "1"), entry("b", "two words"), entry("c\u00e9", "\u00e9"));
    }

    @Test
    void malformedPropertiesEscapeIsAnInvalidFileNamedInTheReason() {
        assertThatThrownBy(() -> formats.parse("app.properties", "a=\\u00zz"))
                .isInstanceOf(ReadFailure.class).hasMessageStartingWith("app.properties: invalid properties")
                .satisfies(e -> assertThat(((ReadFailure) e).result()).isEqualTo(ReloadResult.INVALID));
    }

    @Test
    void yamlIsFlattenedToDottedAndIndexedKeys() throws ReadFailure {
        Map<String, String> m = formats.parse("app.yaml", """
                server:
                  port: 8080
                  hosts: [a, b]
                empty:
                tilde: ~
                """);
        assertThat(m).containsOnly(entry("server.port", "8080"), entry("server.hosts[0]", "a"),
                entry("server.hosts[1]", "b"), entry("empty", ""), entry("tilde", ""));
    }

    @Test
    void yamlScalarsKeepTheTextAsWritten() throws ReadFailure {
        Map<String, String> m = formats.parse("app.yml", "version: 1.10\nzip: 08\nflag: yes\nwhen: 2026-01-01\n");
        assertThat(m).containsOnly(entry("version", "1.10"), entry("zip", "08"), entry("flag", "yes"),
                entry("when", "2026-01-01"));
    }

    @Test
    void yamlMergeKeysAndAnchorsWork() throws ReadFailure {
        Map<String, String> m = formats.parse("app.yaml", """
                base: &b {timeout: 5s}
                svc:
                  <<: *b
                  name: x
                """);
        assertThat(m).contains(entry("svc.timeout", "5s"), entry("svc.name", "x"));
    }

    @Test
    void brokenYamlNamesFileAndLineButNotTheValue() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "a: 1\npassword: \"hunter2\n"))
                .isInstanceOf(ReadFailure.class)
                .hasMessageStartingWith("app.yaml: invalid YAML at line")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void yamlDuplicateKeysAreRefused() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "a: 1\na: 2\n"))
                .isInstanceOf(ReadFailure.class).hasMessageContaining("duplicate key");
    }

    @Test
    void yamlThatIsNotAMappingIsRefused() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "- a\n- b\n")).hasMessageContaining("not a list");
        assertThatThrownBy(() -> formats.parse("app.yaml", "just text")).hasMessageContaining("not a scalar");
    }

    @Test
    void yamlBillionLaughsIsRefusedNotExpanded() {
        StringBuilder y = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        assertThatThrownBy(() -> formats.parse("app.yaml", y.toString())).isInstanceOf(ReadFailure.class)
                .hasMessageContaining("aliases");
    }

    @Test
    void yamlJavaTypeTagsAreRefused() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "x: !!javax.script.ScriptEngineManager [a]\n"))
                .isInstanceOf(ReadFailure.class).hasMessageStartingWith("app.yaml: invalid YAML");
    }

    /** Found by ConfigMapFormatsPropertiesTest: SnakeYAML threw these unwrapped, past the reload's error handling. */
    @Test
    void yamlTaggedValuesSnakeYamlCannotConstructAreAnInvalidFile() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "base: &a {x: 1}\n!!binary k: !!binary x\n"))
                .isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: a tagged value that cannot be constructed (IllegalArgumentException)");
        assertThatThrownBy(() -> formats.parse("app.yaml", "base: &a {x: 1}\n!!timestamp {a: b}: !!null \n"))
                .isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: a tagged value that cannot be constructed (ClassCastException)");
        assertThatThrownBy(() -> formats.parse("app.yaml", "secret: !!binary hunter2-\n"))
                .isInstanceOf(ReadFailure.class).hasMessageNotContaining("hunter2");
    }

    /**
     * Found by ConfigMapFormatsPropertiesTest: a !!binary key became "[B@7d6f77cc" and a !!pairs value
     * "[Ljava.lang.Object;@8807e25" (identity hashes, a new key at every read), a !!timestamp the JVM zone's
     * Date.toString(), a !!set key "[a, b]".
     */
    @Test
    void yamlKeysAndValuesThatAreNotTextAreRefused() {
        assertThatThrownBy(() -> formats.parse("app.yaml", "!!binary aGVsbG8=: x")).isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: a key under '<root>' is not a plain scalar");
        assertThatThrownBy(() -> formats.parse("app.yaml", "!!set {a, b}: x")).isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: a key under '<root>' is not a plain scalar");
        assertThatThrownBy(() -> formats.parse("app.yaml", "k: !!pairs [a: 1]")).isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: 'k[0]' is !!pairs, not text; write it without the tag");
        assertThatThrownBy(() -> formats.parse("app.yaml", "k: !!timestamp 2026-01-01")).isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: 'k' is a !!timestamp, not text; write it without the tag");
        assertThatThrownBy(() -> formats.parse("app.yaml", "k: !!set {a, b}")).isInstanceOf(ReadFailure.class)
                .hasMessage("app.yaml: invalid YAML: 'k' is a !!set, not text; write it without the tag");
    }

    @Test
    void yamlExplicitNumberAndBooleanTagsStillRead() throws ReadFailure {
        assertThat(formats.parse("app.yaml", "a: !!int 5\nb: !!bool true\n!!int 7: c\nd: !!omap [x: 1]\n"))
                .containsOnly(entry("a", "5"), entry("b", "true"), entry("7", "c"), entry("d.x", "1"));
    }

    @Test
    void emptyYamlHasNoKeys() throws ReadFailure {
        assertThat(formats.parse("app.yaml", "")).isEmpty();
        assertThat(formats.parse("app.yaml", "# only a comment\n")).isEmpty();
    }

    @Test
    void yamlWithoutSnakeYamlIsAClearFailure() {
        assertThatThrownBy(() -> new Formats(false).parse("app.yaml", "a: 1"))
                .isInstanceOf(ReadFailure.class).hasMessageContaining("SnakeYAML")
                .hasMessageContaining("app.yaml");
    }

    @Test
    void propertiesStillParseWithoutSnakeYaml() throws ReadFailure {
        assertThat(new Formats(false).parse("a.properties", "k=v")).containsOnly(entry("k", "v"));
    }

    @Test
    void textRefusesBytesThatAreNotUtf8() {
        assertThat(Formats.text(new byte[]{(byte) 0xff, (byte) 0xfe, 0})).isNull();
        assertThat(Formats.text("é".getBytes(StandardCharsets.UTF_8))).isEqualTo("é");
    }
}
