package dev.readiness.core.listen;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Micrometer is optional: only the binder may touch it, so the probe and the check work without it. */
class ListenPackageArchitectureTest {

    // the package's own class files only: scanning the whole class path for it takes seconds on a busy machine
    private static final JavaClasses CLASSES = new ClassFileImporter().importPath(mainClasses());

    private static Path mainClasses() {
        try {
            return Path.of(ListenQueueProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve("dev/readiness/core/listen");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void importsThePackage() {
        org.assertj.core.api.Assertions.assertThat(CLASSES.contain(ListenQueueMetrics.class)).isTrue();
        org.assertj.core.api.Assertions.assertThat(CLASSES.contain(ListenQueueProbe.class)).isTrue();
    }

    @Test
    void onlyTheMeterBinderUsesMicrometer() {
        noClasses().that().doNotHaveSimpleName("ListenQueueMetrics")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(CLASSES);
    }

    @Test
    void knowsNoServer() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.eclipse.jetty..", "org.apache.catalina..", "org.apache.coyote..", "jakarta.servlet..")
                .check(CLASSES);
    }
}
