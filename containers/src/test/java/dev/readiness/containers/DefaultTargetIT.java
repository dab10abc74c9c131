package dev.readiness.containers;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile's default target, the one a user builds ({@code docker build -f samples/<name>/Dockerfile .}):
 * Maven builds the sample inside the image, from the repository root as context. Only the base images differ
 * from the defaults (build arguments): Debian's Maven and JDK for the build stage, offline from this build's own
 * repository, since no image registry (and no Maven Central from inside a container) is reachable here.
 */
class DefaultTargetIT {

    @Test
    void theDefaultTargetBuildsTheSampleWithMavenInsideTheImageAndRunsItThroughTheEntrypoint() {
        String jre = Podman.jreBase();
        String maven = jre.replace("/jre:", "/maven-offline:");
        Path resources = Podman.ROOT.resolve("containers/src/test/resources");
        Podman.Result base = Podman.podman(Duration.ofMinutes(10), "build", "--quiet",
                "-f", resources.resolve("maven-offline.Containerfile").toString(), "--build-arg", "BASE=" + jre,
                "-t", maven, resources.toString());
        assertThat(base.exit()).as(base.all()).isZero();

        String repository = System.getProperty("readiness.maven.repository");
        assertThat(repository).as("readiness.maven.repository (the pom sets it)").isNotBlank();
        String image = "localhost/readiness/" + Podman.SERVLET + ":test-default-target";
        long t0 = System.nanoTime();
        Podman.Result build = Podman.podman(Duration.ofMinutes(10), "build", "--quiet",
                "-v", repository + ":/opt/m2:O", "-f", "samples/" + Podman.SERVLET + "/Dockerfile",
                "--build-arg", "BUILD_IMAGE=" + maven, "--build-arg", "JRE_IMAGE=" + jre,
                "-t", image, Podman.ROOT.toString());
        assertThat(build.exit()).as(build.all()).isZero();
        System.out.printf("default target of %s built in %.0f s%n", Podman.SERVLET, (System.nanoTime() - t0) / 1e9);

        try (Podman.Container c = Podman.run("--network", "none", "--memory", "512m", image,
                "java", "-XshowSettings:vm", "-version")) {
            assertThat(c.await(Duration.ofMinutes(2))).as(c.logs()).isZero();
            assertThat(c.logs()).contains("readiness-gc: -Xmx").contains("-XX:+UseG1GC");
            assertThat(c.inspect("{{.Config.User}}")).isEqualTo("10001:10001");
        }
        Podman.Result explain = Podman.podman(Duration.ofMinutes(2), "run", "--rm", "--network", "none",
                "--memory", "512m", "--entrypoint", "java", image,
                "-jar", "/app/readiness-gc-tuning.jar", "explain", "--", "-jar", "/app/app.jar");
        assertThat(explain.exit()).as(explain.all()).isZero();
        // The sample's jar, built in the image, is where the command says: its classes are counted.
        assertThat(explain.out()).containsPattern("\\d[\\d,]* app \\+").doesNotContain(" 0 app +")
                .doesNotContain("warnings:");
    }
}
