package dev.readiness.gc;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The CLI runs with this jar alone on the class path, in a JVM started before the app's: only the JDK. */
class CliDependenciesTest {

    final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.gc");

    @Test
    void theCliPathNeedsNothingButTheJdk() {
        noClasses().that().resideInAnyPackage("dev.readiness.gc.cli..", "dev.readiness.gc.cgroup..",
                        "dev.readiness.gc.budget..", "dev.readiness.gc.flags..")
                .or().haveFullyQualifiedName(GcTuning.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage("org.slf4j..", "io.smallrye..",
                        "org.eclipse.microprofile..", "io.micrometer..", "dev.readiness.core..",
                        "dev.readiness.gc.runtime..", "dev.readiness.gc.micrometer..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.readiness.gc.(*)..").should().beFreeOfCycles().check(classes);
    }
}
