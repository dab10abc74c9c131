package dev.readiness.core.drain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class DrainArchitectureTest {

    private final JavaClasses drain = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.core.drain");

    @Test
    void onlyDrainMetricsTouchesMicrometerSoTheDrainWorksWithoutIt() {
        noClasses().that().haveNameNotMatching(".*\\.DrainMetrics(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(drain);
    }

    @Test
    void theDrainKnowsNoServerFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "org.apache.catalina..",
                "org.apache.coyote..", "jakarta.servlet..", "org.springframework..")
                .check(drain);
    }
}
