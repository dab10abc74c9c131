package dev.readiness.health.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.readiness.testkit.arch.ReadinessArchRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The health module's layering: each optional integration stays in its own package. */
class HealthArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.readiness.health");
    }

    @Test
    void healthDependsOnCoreOnlyAmongReadinessModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.readiness.sessions..",
                        "dev.readiness.gc..", "dev.readiness.spring..", "dev.readiness.testkit..",
                        "dev.readiness.bench..", "dev.readiness.samples..")
                .check(classes);
    }

    @Test
    void hikariStaysInTheJdbcCheck() {
        noClasses().that().resideOutsideOfPackage("dev.readiness.health.check.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("com.zaxxer.hikari..").check(classes);
    }

    @Test
    void resilience4jStaysInItsCheck() {
        noClasses().that().resideOutsideOfPackage("dev.readiness.health.check.resilience4j..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j..").check(classes);
    }

    @Test
    void lettuceStaysInTheRedisCheck() {
        noClasses().that().resideInAnyPackage("dev.readiness.health.management..", "dev.readiness.health.check..")
                .and().resideOutsideOfPackage("dev.readiness.health.check.redis..")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..").check(classes);
    }

    @Test
    void thePrometheusRegistryIsReachedOnlyThroughPrometheusHandler() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.readiness.health.management.PrometheusHandler")
                .and().resideInAnyPackage("dev.readiness.health.management..", "dev.readiness.health.check..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(classes);
    }

    @Test
    void theManagementServerAndChecksNeedNoServletContainer() {
        noClasses().that().resideInAnyPackage("dev.readiness.health.management..", "dev.readiness.health.check..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.eclipse.jetty.ee..",
                        "org.apache.catalina..", "org.apache.tomcat..", "org.jolokia..", "org.springframework..")
                .check(classes);
    }

    @Test
    void jettyIsReachedOnlyThroughTheManagementServersJettyEngine() {
        // JettyEngine is loaded only once Jetty 12 is known to be present, so the server runs without Jetty
        noClasses().that().resideInAnyPackage("dev.readiness.health.management..", "dev.readiness.health.check..")
                .and().doNotHaveFullyQualifiedName("dev.readiness.health.management.JettyEngine")
                .and().haveNameNotMatching("dev\\.readiness\\.health\\.management\\.JettyEngine\\$.*")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..")
                .check(classes);
    }

    @Test
    void managementAndChecksDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("dev.readiness.health.management..")
                .should().dependOnClassesThat().resideInAPackage("dev.readiness.health.check..").check(classes);
        noClasses().that().resideInAPackage("dev.readiness.health.check..")
                .should().dependOnClassesThat().resideInAPackage("dev.readiness.health.management..").check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.readiness.health.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyLocalCheckInTheModuleStaysLocal() {
        // health's LocalChecks are JettyListenerCheck and TomcatListenerCheck: the rules must match them (no empty
        // pass) and find them local. The transitive rule does not apply: they read the server's state through
        // Jetty's and Tomcat's classes, which do network I/O elsewhere, as any server's do.
        assertThat(classes.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.implement(
                ReadinessArchRules.LOCAL_CHECK))).extracting(c -> c.getSimpleName())
                .containsExactlyInAnyOrder("JettyListenerCheck", "TomcatListenerCheck");
        ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(classes);
        ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.allowEmptyShould(false).check(classes);
    }
}
