import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step of readiness-archetype (run by the module's exec-maven-plugin, in the JDK's source-file mode): copies
 * the Spring Boot sample's sources and the Kubernetes manifests into the archetype's resources as they are at
 * this build, so that the archetype never drifts from the sample. Each copy becomes a Velocity template: every
 * '$' and '#' of the source is escaped first (the archetype's symbol_dollar and symbol_pound), then the sample's
 * package becomes ${package} and its name ${artifactId}.
 *
 * Arguments: the repository root, the output directory (archetype-resources).
 */
public final class CopySample {

    private static final String SAMPLE_PACKAGE = "dev.readiness.samples.boot";
    private static final String SAMPLE_NAME = "spring-boot-service";
    /** Velocity's names for the escaped characters, as archetype:create-from-project writes them. */
    static final String SYMBOLS = "#set( $symbol_pound = '#' )\n#set( $symbol_dollar = '$' )\n";

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path sample = root.resolve("samples").resolve(SAMPLE_NAME);
        Path mainJava = sample.resolve("src/main/java").resolve(SAMPLE_PACKAGE.replace('.', '/'));
        Path testJava = sample.resolve("src/test/java").resolve(SAMPLE_PACKAGE.replace('.', '/'));
        // The production code as it is; of the tests, the development run (its e2e tests extend the repository's
        // kit, which is not published: the archetype brings its own ServiceIT).
        for (Path java : list(mainJava)) {
            copy(java, out.resolve("src/main/java").resolve(java.getFileName()));
        }
        copy(testJava.resolve("DevSpringBootService.java"), out.resolve("src/test/java/DevSpringBootService.java"));
        copy(sample.resolve("src/main/resources/application.properties"),
                out.resolve("src/main/resources/application.properties"));
        // The manifests: the base and its component, and the sample's overlay as the new service's.
        Path k8s = root.resolve("src/k8s");
        for (String dir : List.of("base", "components/somaxconn")) {
            for (Path f : list(k8s.resolve(dir))) {
                copy(f, out.resolve("k8s").resolve(dir).resolve(f.getFileName()));
            }
        }
        for (Path f : list(k8s.resolve(SAMPLE_NAME))) {
            copy(f, out.resolve("k8s/__artifactId__").resolve(f.getFileName()));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is missing: the archetype is made from it");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        String text = Files.readString(from, StandardCharsets.UTF_8);
        text = text.replace("$", "${symbol_dollar}").replace("#", "${symbol_pound}")
                .replace(SAMPLE_PACKAGE, "${package}")
                .replace("readiness/" + SAMPLE_NAME, "${artifactId}")
                .replace(SAMPLE_NAME, "${artifactId}")
                .replace("newTag: 0.1.0-SNAPSHOT", "newTag: ${version}")
                // What the repository's samples/run.sh does is this project's own development run.
                .replace("samples/run.sh", "mvn spring-boot:test-run")
                .replace("src/k8s/", "k8s/")
                .replace("src/docs/spring-boot.md", "the readiness docs (Spring Boot)");
        Files.createDirectories(to.getParent());
        Files.writeString(to, SYMBOLS + text, StandardCharsets.UTF_8);
    }
}
