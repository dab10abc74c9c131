package dev.readiness.spring.boot.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.readiness.core.thread.DaemonThreads;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadFactory;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every thread of the library's modules (core, health, sessions, gc-tuning, gRPC and this one) comes from
 * {@link DaemonThreads}: no class makes a {@code Thread} or a thread factory of its own. Test tooling (testkit)
 * is not the library and is not imported.
 */
class LibraryThreadsTest {

    private static final String[] LIBRARY = {"dev.readiness.core", "dev.readiness.health", "dev.readiness.sessions",
            "dev.readiness.gc", "dev.readiness.grpc", "dev.readiness.spring.boot"};

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(LIBRARY);

    @Test
    void theRuleSeesEveryModulesClasses() {
        for (String c : new String[] {"dev.readiness.core.probe.HealthRegistry",
                "dev.readiness.health.management.JettyEngine", "dev.readiness.sessions.redis.RedisSessionStore",
                "dev.readiness.gc.cgroup.CgroupReader", "dev.readiness.grpc.GrpcDrain",
                "dev.readiness.spring.boot.autoconfigure.SpringAvailabilityBridge"}) {
            assertThat(CLASSES.contain(c)).as(c).isTrue();
        }
    }

    @Test
    void onlyDaemonThreadsMakesThreads() {
        noClasses().that().doNotBelongToAnyOf(DaemonThreads.class)
                .should().callConstructor(Thread.class, Runnable.class, String.class)
                .orShould().callConstructor(Thread.class, Runnable.class)
                .orShould().callConstructor(Thread.class, String.class)
                .orShould().callConstructor(Thread.class)
                .orShould().callMethod(Thread.class, "setDaemon", boolean.class)
                .orShould().implement(ThreadFactory.class)
                .because("DaemonThreads makes every library thread a named daemon; a thread of its own forgets one")
                .check(CLASSES);
    }

    @Test
    void itsThreadsAreNamedDaemons() throws Exception {
        Thread t = DaemonThreads.numbered("readiness-test").newThread(() -> { });
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).isEqualTo("readiness-test-1");
        assertThat(DaemonThreads.numbered("readiness-test").newThread(() -> { }).getName()).isEqualTo("readiness-test-1");
        assertThat(DaemonThreads.named("readiness-one").newThread(() -> { }).getName()).isEqualTo("readiness-one");
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        Thread started = DaemonThreads.start("readiness-started", ran::countDown);
        assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(started.isDaemon()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DaemonThreads.named(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
