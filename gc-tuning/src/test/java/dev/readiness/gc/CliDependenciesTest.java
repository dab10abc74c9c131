package dev.readiness.gc;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The CLI runs with this jar alone on the class path, in a JVM started before the app's: only the JDK, and
 * readiness-core's {@code dev.readiness.core.proc}, which the jar carries relocated (see the shade plugin in the
 * pom; {@code CliJarIT} runs the packaged jar alone).
 */
class CliDependenciesTest {

    static final String[] CLI_PATH = {"dev.readiness.gc.cli..", "dev.readiness.gc.cgroup..",
            "dev.readiness.gc.budget..", "dev.readiness.gc.flags.."};

    final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.gc");

    @Test
    void theCliPathNeedsNothingButTheJdkAndTheProcParsers() {
        String[] allowed = new String[CLI_PATH.length + 2];
        System.arraycopy(CLI_PATH, 0, allowed, 0, CLI_PATH.length);
        allowed[CLI_PATH.length] = "java..";
        allowed[CLI_PATH.length + 1] = "dev.readiness.core.proc..";
        classes().that().resideInAnyPackage(CLI_PATH).or().belongToAnyOf(GcTuning.class)
                .should().onlyDependOnClassesThat(resideInAnyPackage(allowed).or(belongToAnyOf(GcTuning.class)))
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.readiness.gc.(*)..").should().beFreeOfCycles().check(classes);
    }
}
