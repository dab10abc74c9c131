package dev.readiness.gc;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.testkit.arch.ReadinessArchRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.implement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules readiness ships to its users, over this module's own liveness check, {@link GcPressureCheck}: with
 * {@code allowEmptyShould(false)}, so they pass because they matched it and found nothing wrong, not because they
 * matched nothing.
 */
class LivenessArchitectureTest {

    final JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.readiness.gc");

    @Test
    void theRulesMatchGcPressureCheckHere() {
        assertThat(classes.that(implement(ReadinessArchRules.LOCAL_CHECK))).extracting(c -> c.getName())
                .containsExactly(GcPressureCheck.class.getName());
    }

    @Test
    void gcPressureCheckStaysLocalDirectlyAndThroughEveryClassItUses() {
        ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(classes);
        ReadinessArchRules.livenessChecksStayLocalTransitively().allowEmptyShould(false).check(classes);
        ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.allowEmptyShould(false).check(classes);
    }
}
