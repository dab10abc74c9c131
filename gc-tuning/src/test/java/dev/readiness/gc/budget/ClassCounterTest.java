package dev.readiness.gc.budget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassCounterTest {

    @TempDir
    Path dir;

    @Test
    void countsClassesInJarsNestedJarsAndDirectories() throws IOException {
        byte[] nested = jar(List.of("a/A.class", "a/B.class", "a/res.txt"));
        Path fat = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(fat); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String n : List.of("BOOT-INF/classes/x/X.class", "org/springframework/boot/loader/L.class",
                    "module-info.class")) {
                z.putNextEntry(new ZipEntry(n));
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("BOOT-INF/lib/dep.jar"));
            z.write(nested);
            z.closeEntry();
        }
        Path classes = Files.createDirectories(dir.resolve("classes/p"));
        Files.write(classes.resolve("C.class"), new byte[0]);
        Files.write(classes.resolve("D.class"), new byte[0]);

        ClassCounter.Count c = ClassCounter.count(List.of(fat, dir.resolve("classes")),
                Path.of(System.getProperty("java.home")));
        assertThat(c.appClasses()).isEqualTo(2 + 2 + 2);
        assertThat(c.runtimeClasses()).as("resources in this JDK's lib/modules").isGreaterThan(5_000);
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void wildcardClassPathCountsEveryJarInTheDirectory() throws IOException {
        Files.write(dir.resolve("one.jar"), jar(List.of("A.class")));
        Files.write(dir.resolve("two.jar"), jar(List.of("B.class", "C.class")));
        ClassCounter.Count c = ClassCounter.count(List.of(dir.resolve("*")), dir);
        assertThat(c.appClasses()).isEqualTo(3);
    }

    @Test
    void unreadablePathsAreNotedAndCountZero() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip");
        Path fakeHome = Files.createDirectories(dir.resolve("home/lib"));
        Files.writeString(fakeHome.resolve("modules"), "short");
        ClassCounter.Count c = ClassCounter.count(List.of(notAJar, dir.resolve("missing.jar")), dir.resolve("home"));
        assertThat(c.total()).isZero();
        assertThat(c.notes()).anyMatch(n -> n.contains("broken.jar: not a readable jar"))
                .anyMatch(n -> n.contains("missing.jar: not found"))
                .anyMatch(n -> n.contains("modules: too short"));
    }

    static byte[] jar(List<String> names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String n : names) {
                z.putNextEntry(new ZipEntry(n));
                z.write(1);
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
