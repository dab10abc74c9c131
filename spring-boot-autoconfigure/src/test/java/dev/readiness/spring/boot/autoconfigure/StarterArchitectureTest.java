package dev.readiness.spring.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** The starter is shaped like Spring Boot's own auto-configurations. */
class StarterArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.spring.boot");

    @Test
    void autoConfigurationsArePublicFinalWithNoPublicMembers() {
        classes().that().areAnnotatedWith(AutoConfiguration.class)
                .should().haveModifier(JavaModifier.PUBLIC).andShould().haveModifier(JavaModifier.FINAL)
                .check(CLASSES);
        noMembers().that().areDeclaredInClassesThat().areAnnotatedWith(AutoConfiguration.class)
                .should().bePublic().check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.readiness.spring.boot.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void everyAutoConfigurationIsRegisteredTheSpringBoot4Way() {
        // the shared module's imports and this generation's, each class listed once
        List<String> imports = AutoConfigurationImports.names();
        assertThat(imports).doesNotHaveDuplicates()
                .contains(ReadinessAutoConfiguration.class.getName(),
                        "dev.readiness.spring.boot.autoconfigure.actuate.ReadinessActuatorAutoConfiguration");
        List<String> annotated = CLASSES.stream().filter(c -> c.isAnnotatedWith(AutoConfiguration.class))
                .map(c -> c.getName()).toList();
        assertThat(imports).containsExactlyInAnyOrderElementsOf(annotated);
    }
}
