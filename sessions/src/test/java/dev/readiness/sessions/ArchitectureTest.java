package dev.readiness.sessions;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Each optional integration stays in its own package, so a user pays only for what they use. */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.sessions");

    @Test
    void sessionsNeverDependOnTheHealthModule() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.readiness.health..").check(CLASSES);
    }

    @Test
    void onlyTheServletPackageTouchesTheServletApi() {
        noClasses().that().resideOutsideOfPackage("..sessions.servlet..").should().dependOnClassesThat()
                .resideInAPackage("jakarta.servlet..").check(CLASSES);
    }

    @Test
    void onlyTheMicrometerPackageTouchesMicrometer() {
        noClasses().that().resideOutsideOfPackage("..sessions.micrometer..").should().dependOnClassesThat()
                .resideInAPackage("io.micrometer..").check(CLASSES);
    }

    @Test
    void onlyTheRedisPackageTouchesLettuceAndOnlyTheJsonCodecTouchesJackson() {
        noClasses().that().resideOutsideOfPackage("..sessions.redis..").should().dependOnClassesThat()
                .resideInAPackage("io.lettuce..").check(CLASSES);
        noClasses().that().doNotHaveSimpleName("JsonAttributeCodec").should().dependOnClassesThat()
                .resideInAPackage("tools.jackson..").check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.readiness.sessions.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
