package dev.readiness.tomcat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener is loaded by Tomcat's common class loader, beside every webapp: it may use only the JDK and
 * Tomcat, never a readiness or third-party class (which would either be missing there or clash with a webapp's
 * own copy in {@code WEB-INF/lib}).
 */
class ListenerDependenciesTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.readiness.tomcat");

    @Test
    void theListenerNeedsNothingButTheJdkAndTomcat() {
        assertThat(classes).isNotEmpty();
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.management..",
                        "dev.readiness.tomcat..", "org.apache.catalina..", "org.apache.coyote..",
                        "org.apache.tomcat..", "org.apache.juli..")
                .check(classes);
    }

    @Test
    void aClosedPortIsSeenRefusedAndAnOpenOneIsNot() throws IOException {
        int port;
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = open.getLocalPort();
            long t0 = System.nanoTime();
            assertThat(TomcatConnectors.awaitRefused(InetAddress.getLoopbackAddress(), port)).isFalse();
            assertThat((System.nanoTime() - t0) / 1e9).as("bounded wait").isBetween(1.5, 10.0);
        }
        assertThat(TomcatConnectors.awaitRefused(InetAddress.getLoopbackAddress(), port)).isTrue();
        assertThat(TomcatConnectors.awaitRefused(null, 0)).as("a connector that never bound").isTrue();
    }

    @Test
    void stopAcceptingRunsOnceForAllTheWebapps() {
        TomcatConnectors none = new TomcatConnectors(List.of());
        assertThat(none.isAccepting()).isTrue();
        assertThat(none.stopAccepting()).isEmpty();
        assertThat(none.isAccepting()).isFalse();
        assertThat(none.stopAccepting()).isEqualTo("already stopped accepting");
    }
}
