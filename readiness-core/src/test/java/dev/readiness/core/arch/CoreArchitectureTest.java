package dev.readiness.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.readiness.testkit.arch.ReadinessArchRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** readiness-core knows no other module and no framework; Micrometer only where it is optional. */
class CoreArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.readiness.core");
    }

    @Test
    void coreDependsOnNoOtherReadinessModule() {
        noClasses().should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are readiness classes outside core",
                        c -> c.getPackageName().startsWith("dev.readiness.")
                                && !c.getPackageName().startsWith("dev.readiness.core")))
                .check(core);
    }

    @Test
    void micrometerIsUsedOnlyByMeterBinders() {
        // Each component has one MeterBinder, named *Metrics, beside the component it measures; nothing else in
        // core may name a Micrometer type, so the binders (and their nested classes) are the only classes that
        // need it on the class path.
        noClasses().that(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are not a *Metrics binder, nor nested in one, nor in a metrics package",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> {
                            com.tngtech.archunit.core.domain.JavaClass top = c;
                            while (top.getEnclosingClass().isPresent()) {
                                top = top.getEnclosingClass().get();
                            }
                            return !top.getSimpleName().endsWith("Metrics") && !c.getPackageName().contains(".metrics");
                        }))
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..")
                .because("Micrometer is optional: a class that names it fails to load without it")
                .check(core);
    }

    @Test
    void coreUsesNoClientLibraryServletOrSpring() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "com.zaxxer.hikari..",
                        "jakarta.servlet..", "javax.servlet..", "org.springframework..", "org.eclipse.jetty..",
                        "org.apache.catalina..", "io.github.resilience4j..", "org.jolokia..", "io.prometheus..")
                .check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.readiness.core.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void everyLocalCheckInCoreStaysLocal() {
        // core's LocalCheck is DeadlockCheck: the rules must match it (no empty pass), and find it local
        assertThat(core.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.implement(
                ReadinessArchRules.LOCAL_CHECK))).extracting(c -> c.getSimpleName()).containsExactly("DeadlockCheck");
        ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(core);
        ReadinessArchRules.livenessChecksStayLocalTransitively().allowEmptyShould(false).check(core);
        ReadinessArchRules.LOCAL_CHECKS_ARE_NOT_DEPENDENCY_CHECKS.allowEmptyShould(false).check(core);
    }

    @Test
    void theProbeEngineRunsWithoutMicrometerOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("micrometer") && !entry.contains("HdrHistogram") && !entry.contains("LatencyUtils")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(loader.getResource("io/micrometer/core/instrument/MeterRegistry.class")).isNull();
            Class<?> registryType = Class.forName("dev.readiness.core.probe.HealthRegistry", true, loader);
            Class<?> probeType = Class.forName("dev.readiness.core.probe.Probe", true, loader);
            Object registry = registryType.getMethod("create").invoke(null);
            try {
                registryType.getMethod("start").invoke(registry);
                registryType.getMethod("markStarted").invoke(registry);
                Object readiness = probeType.getField("READINESS").get(null);
                Object report = registryType.getMethod("report", probeType).invoke(registry, readiness);
                assertThat(report.getClass().getMethod("httpStatus").invoke(report)).isEqualTo(200);
            } finally {
                registryType.getMethod("close").invoke(registry);
            }
        }
    }
}
