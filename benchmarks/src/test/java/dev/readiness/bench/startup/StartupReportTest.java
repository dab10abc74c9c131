package dev.readiness.bench.startup;

import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.readiness.testkit.process.ForkedJvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    @Test
    void aServiceThatFailsItsStartIsNamedWithSpringBootsDescription() {
        assertThatThrownBy(() -> StartupReport.timeStart(StartupReport.PLAIN, "plain-warm",
                ForkedJvm.currentClasspath(), FailsLikeSpringBoot.class.getName(), Map.of(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the anchor, plain Spring Boot (PlainBootService) failed to start (run plain-warm)")
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("Spring Boot: Failed to configure a DataSource: 'url' attribute is not specified"
                        + " and no embedded datasource could be configured. Reason: Failed to determine a suitable"
                        + " driver class");
    }

    @Test
    void theSpringSessionAnchorFindsOneJarOfEachOnTheBenchmarksClassPath() throws Exception {
        List<String> jars = StartupReport.springSessionJars();
        assertThat(jars).hasSameSizeAs(StartupReport.SPRING_SESSION_JARS);
        for (int i = 0; i < jars.size(); i++) {
            assertThat(Path.of(jars.get(i))).isRegularFile();
            assertThat(Path.of(jars.get(i)).getFileName().toString()).startsWith(StartupReport.SPRING_SESSION_JARS.get(i));
        }
    }

    @Test
    void theTargetIsTenPercentOr150MillisecondsWhicheverIsLarger() {
        // 10 % of 3,000 ms is 300 ms
        assertThat(StartupReport.targetNote("x", "plain", List.of(3000.0, 2900.0, 3100.0), List.of(3300.0)))
                .contains("ready 300 ms after plain (3000 ms), +10.0 %", "at most 300 ms added", ": met.");
        assertThat(StartupReport.targetNote("x", "plain", List.of(3000.0), List.of(3301.0))).contains("NOT met");
        // 10 % of 1,000 ms is less than 150 ms
        assertThat(StartupReport.targetNote("x", "plain", List.of(1000.0), List.of(1150.0)))
                .contains("at most 150 ms added", ": met.");
        assertThat(StartupReport.targetNote("x", "Spring Session", List.of(4000.0), List.of(3600.0)))
                .contains("ready 400 ms before Spring Session (4000 ms), -10.0 %", ": met.");
    }

    @Test
    void theAnchorsClassFilesAreCopiedAlone() throws Exception {
        Path dir = StartupReport.classFiles(repo.resolve("anchors"), StartupReportTest.class);
        assertThat(dir.resolve("dev/readiness/bench/startup/StartupReportTest.class")).isRegularFile();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void withoutSpringBootsBannerTheLastExceptionLineDescribesTheFailure() {
        assertThat(StartupReport.failureDescription(List.of("starting", "java.lang.IllegalStateException: no port",
                "\tat Foo.main(Foo.java:3)"))).contains("java.lang.IllegalStateException: no port");
        assertThat(StartupReport.failureDescription(List.of("nothing useful"))).isEmpty();
    }

    /** Prints what Spring Boot prints when the DataSource auto-configuration has no URL, and exits 1. */
    public static final class FailsLikeSpringBoot {
        public static void main(String[] args) {
            System.out.println("""
                    ***************************
                    APPLICATION FAILED TO START
                    ***************************

                    Description:

                    Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.

                    Reason: Failed to determine a suitable driver class


                    Action:

                    Consider the following:""");
            System.exit(1);
        }
    }
}
