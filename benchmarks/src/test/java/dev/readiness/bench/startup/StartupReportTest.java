package dev.readiness.bench.startup;

import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupReportTest {

    @TempDir
    Path repo;

    @Test
    void withoutTheSampleJarTheSectionSaysHowToBuildIt() throws Exception {
        Section s = new StartupReport(repo).run(Mode.QUICK);
        assertThat(s.notRun()).contains(StartupReport.SAMPLE).contains("mvn -B -q -pl samples/spring-boot-service");
        assertThat(s.comparisons()).isEmpty();
    }

    @Test
    void aJarThatIsNotABootJarIsRefusedWithWhatTheExtractionSaid() throws Exception {
        Path jar = Files.createDirectories(repo.resolve("samples/spring-boot-service/target"))
                .resolve("spring-boot-service.jar");
        Files.writeString(jar, "not a jar");
        assertThatThrownBy(() -> new StartupReport(repo).run(Mode.QUICK))
                .hasMessageContaining("could not extract").hasMessageContaining(jar.getFileName().toString());
    }
}
