package dev.readiness.gc.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as the docs use it, {@code java -jar readiness-gc-tuning.jar explain}, with nothing else on its
 * class path: it carries the mountinfo parser of readiness-core relocated, and no other readiness-core class.
 */
class CliJarIT {

    static final Path JAR = Path.of(System.getProperty("readiness.gc.jar", "target/readiness-gc-tuning-0.1.0-SNAPSHOT.jar"));

    @Test
    void theJarCarriesTheParserRelocatedAndNothingElseOfCore() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("dev/readiness/gc/internal/proc/MountInfo.class",
                    "dev/readiness/gc/internal/proc/MountInfo$Mount.class");
            assertThat(names).noneMatch(n -> n.startsWith("dev/readiness/core/"));
        }
    }

    @Test
    void explainRunsFromTheJarAloneAndReadsThisMachinesMounts() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "explain").redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("explain finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("container: ").contains("flags:").doesNotContain("NoClassDefFoundError")
                .doesNotContain("ignored line");
    }
}
