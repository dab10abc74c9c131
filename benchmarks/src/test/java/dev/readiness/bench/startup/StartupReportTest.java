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
