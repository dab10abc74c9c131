package dev.readiness.core.reload;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** Micrometer and SnakeYAML are optional: the watcher works, and says what it cannot do, without them. */
class OptionalDependenciesTest {

    // the compiled package directory itself: scanning the class path for a package is slow on a busy machine
    private static final JavaClasses RELOAD = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(reloadClasses());

    private static Path reloadClasses() {
        try {
            return Path.of(ConfigMapWatcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve("dev/readiness/core/reload");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void theRulesSeeThePackage() {
        assertThat(RELOAD.contain(ConfigMapWatcher.class)).isTrue();
        assertThat(RELOAD.contain(YamlFlattener.class)).isTrue();
    }

    @Test
    void onlyTheMeterBinderTouchesMicrometer() {
        noClasses().that().doNotHaveSimpleName("ConfigReloadMetrics")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..").check(RELOAD);
    }

    @Test
    void onlyTheYamlFlattenerTouchesSnakeYaml() {
        noClasses().that().haveNameNotMatching(".*\\.YamlFlattener(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.yaml..").check(RELOAD);
    }

    @Test
    void withoutSnakeYamlOrMicrometerAYamlFileIsAClearCountedFailure() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("snakeyaml") && !entry.contains("micrometer")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        Files.writeString(dir.resolve("app.properties"), "a=1\n");
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(isolated.getResource("org/yaml/snakeyaml/Yaml.class")).as("SnakeYAML is hidden").isNull();
            assertThat(isolated.getResource("io/micrometer/core/instrument/MeterRegistry.class")).isNull();
            Class<?> watcherType = isolated.loadClass(ConfigMapWatcher.class.getName());
            Object builder = watcherType.getMethod("builder").invoke(null);
            Class<?> b = builder.getClass();
            b.getMethod("directory", Path.class).invoke(builder, dir);
            b.getMethod("fileEvents", boolean.class).invoke(builder, false);
            b.getMethod("pollInterval", Duration.class).invoke(builder, Duration.ofHours(1));
            Object watcher = b.getMethod("build").invoke(builder);
            try {
                watcherType.getMethod("start").invoke(watcher);
                Files.writeString(dir.resolve("app.yaml"), "b: 2\n");

                Object outcome = watcherType.getMethod("reloadNow").invoke(watcher);

                Method reason = outcome.getClass().getMethod("reason");
                assertThat((String) reason.invoke(outcome)).contains("app.yaml").contains("SnakeYAML");
                @SuppressWarnings({"unchecked", "rawtypes"})
                Object invalid = Enum.valueOf((Class) isolated.loadClass(ReloadResult.class.getName()), "INVALID");
                assertThat(watcherType.getMethod("reloads", invalid.getClass()).invoke(watcher, invalid))
                        .isEqualTo(1L);
                Object current = watcherType.getMethod("current").invoke(watcher);
                assertThat(current.getClass().getMethod("generation").invoke(current)).isEqualTo(1L);
            } finally {
                watcherType.getMethod("close").invoke(watcher);
            }
        }
    }
}
