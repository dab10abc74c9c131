package dev.readiness.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every fenced block of README.md and src/docs/*.md is checked by the marker on the line right before its
 * fence, so that a snippet that drifts from the code fails the build. A block without a marker fails too:
 * nothing is skipped silently. The markers (HTML comments, invisible when the Markdown is rendered):
 * <pre>
 * &lt;!-- snippet: java-statements --&gt;  the body of a method, compiled with javax.tools against every module;
 *                                     further lines of the comment, up to --&gt;, are imports and the class's
 *                                     fields or methods (DataSource dataSource;)
 * &lt;!-- snippet: java-members --&gt;     the members of a class (@Bean methods); further lines as above
 * &lt;!-- snippet: java-file --&gt;        a whole source file; further lines are imports
 * &lt;!-- snippet: properties --&gt;       every readiness.* key in the settings catalog, every value allowed
 * &lt;!-- snippet: yaml --&gt;             parsed as YAML
 * &lt;!-- snippet: shell --&gt;            sh -n; the repository paths, -pl modules and classes it names exist
 * &lt;!-- snippet: shell-run --&gt;        run with sh -eu in an empty directory holding readiness-gc-tuning.jar;
 *                                     must exit 0 within 60 s
 * &lt;!-- snippet: xml-dependency --&gt;   dev.readiness artifacts of the BOM at this build's version
 * &lt;!-- snippet: xml --&gt;              parsed as XML; the dev.readiness classes it names exist
 * &lt;!-- snippet: dockerfile --&gt;       Dockerfile instructions, each RUN valid sh
 * &lt;!-- snippet: output --&gt;           not checked: what a program prints, a table, a layout
 * </pre>
 * Every checked kind also fails on a {@code readiness.*} key or {@code READINESS_*} variable that does not
 * exist. The Java snippets see every {@code dev.readiness} package and java.util, java.util.concurrent,
 * java.time, java.net, java.nio.file and java.nio.charset imported on demand.
 */
class DocSnippetsTest {

    private final Path root = Path.of(System.getProperty("readiness.root", "..")).toAbsolutePath().normalize();
    private final SnippetChecks checks = new SnippetChecks(root, System.getProperty("readiness.version"));

    @Test
    void everySnippetOfTheDocsIsMarkedAndHolds() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path doc : docs()) {
            snippets.addAll(Snippet.parse(root.relativize(doc).toString(),
                    Files.readString(doc, StandardCharsets.UTF_8)));
        }
        assertThat(snippets).as("the fenced blocks of README.md and src/docs/*.md").hasSizeGreaterThan(40);
        List<String> problems = checks.check(snippets);
        assertThat(problems).as("%d problems in the docs' snippets:%n%s%nThe markers, each an HTML comment on the"
                        + " line right before a block's opening fence (DocSnippetsTest's Javadoc):%n%s", problems.size(),
                String.join("\n", problems), SnippetChecks.Kind.help()).isEmpty();
    }

    /** The README's quick start as it was (a GcPressureCheck with no settings): a drifted snippet fails. */
    @Test
    void aSnippetThatNoLongerCompilesFailsWithItsFileAndLine() {
        String doc = """
                # a doc
                <!-- snippet: java-statements
                import javax.sql.DataSource;
                DataSource dataSource;
                -->
                ```java
                HealthRegistry registry = HealthRegistry.builder().build();
                registry.liveness("gc-pressure", new GcPressureCheck());
                ```
                """;
        List<String> problems = checks.check(Snippet.parse("old.md", doc));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("old.md:8: does not compile as java-statements:")
                .contains("GcPressureCheck");
    }

    @Test
    void aBlockWithoutAMarkerFailsNamingTheMarkers() {
        List<String> problems = checks.check(Snippet.parse("new.md", "text\n\n```java\nint x = 1;\n```\n"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("new.md:3: a ```java block without a marker");
        assertThat(SnippetChecks.Kind.help()).contains("<!-- snippet: java-statements -->",
                "<!-- snippet: output -->", "<!-- snippet: properties -->");
        assertThat(checks.check(Snippet.parse("new.md", "<!-- snippet: jav -->\n```\nx\n```\n")).get(0))
                .contains("unknown marker 'jav'");
    }

    @Test
    void aPropertiesSnippetIsReadAgainstTheSettingsCatalog() {
        String doc = """
                <!-- snippet: properties -->
                ```properties
                readiness.drain.timeout=20s
                readiness.drain.timeot=20s
                readiness.checks.failure-threshold=0
                readiness.gc.advisor.enabled=true   # READINESS_GC_ADVISOR_ENABLED
                ```
                """;
        List<String> problems = checks.check(Snippet.parse("p.md", doc));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("p.md:4:").contains("readiness.drain.timeot"))
                .anySatisfy(p -> assertThat(p).startsWith("p.md:5:").contains("readiness.checks.failure-threshold"))
                .anySatisfy(p -> assertThat(p).startsWith("p.md:6:").contains("readiness.gc.advisor.enabled"))
                .noneSatisfy(p -> assertThat(p).contains("readiness.drain.timeout"));
    }

    @Test
    void shellYamlXmlAndNamesAreChecked() {
        String doc = """
                <!-- snippet: shell -->
                ```
                samples/run.sh
                samples/no-such-script.sh
                mvn -pl no-such-module package
                java -cp x dev.readiness.bench.NoSuchMain
                if then fi (
                ```
                <!-- snippet: yaml -->
                ```yaml
                a: [1, 2
                ```
                <!-- snippet: xml-dependency -->
                ```xml
                <dependency><groupId>dev.readiness</groupId><artifactId>readiness-nope</artifactId></dependency>
                ```
                <!-- snippet: yaml -->
                ```yaml
                env: [{name: READINESS_DRAIN_TIMEOT, value: 1s}]   # readiness.drain.timeot
                ```
                <!-- snippet: output -->
                ```
                anything at all, READINESS_NOTHING
                ```
                <!-- snippet: xml -->
                ```xml
                <Listener className="dev.readiness.tomcat.NoSuchListener"/>
                ```
                """;
        List<String> problems = checks.check(Snippet.parse("s.md", doc));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s.md:4:").contains("no-such-script"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:5:").contains("no-such-module"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:6:").contains("NoSuchMain"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:2:").contains("sh -n"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:10:").contains("not YAML"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:15:").contains("readiness-nope"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:19:").contains("READINESS_DRAIN_TIMEOT"))
                .anySatisfy(p -> assertThat(p).startsWith("s.md:19:").contains("readiness.drain.timeot"))
                .noneSatisfy(p -> assertThat(p).contains("samples/run.sh"))
                .noneSatisfy(p -> assertThat(p).contains("READINESS_NOTHING"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("s.md:27:").contains("NoSuchListener"));
        assertThat(problems).hasSize(9);
    }

    @Test
    void aShellRunSnippetMustExitZero() {
        String doc = """
                <!-- snippet: shell-run -->
                ```
                java -jar readiness-gc-tuning.jar flags | grep -q -- -XX:+UseG1GC
                ```
                <!-- snippet: shell-run -->
                ```
                echo about to fail
                java -jar readiness-gc-tuning.jar no-such-command
                ```
                """;
        List<String> problems = checks.check(Snippet.parse("r.md", doc));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("r.md:6: exited with 2 (shell-run):").contains("about to fail");
    }

    private List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> md = Files.list(root.resolve("src/docs"))) {
            md.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }
}
