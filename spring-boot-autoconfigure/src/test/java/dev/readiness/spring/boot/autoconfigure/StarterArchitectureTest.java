package dev.readiness.spring.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    void everyAutoConfigurationIsRegisteredTheSpringBoot4Way() throws IOException {
        List<String> imports;
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(in).isNotNull();
            imports = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
        List<String> annotated = CLASSES.stream().filter(c -> c.isAnnotatedWith(AutoConfiguration.class))
                .map(c -> c.getName()).toList();
        assertThat(imports).containsExactlyInAnyOrderElementsOf(annotated);
    }
}
