package dev.readiness.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeletAtomicWriterTest {

    @TempDir
    Path dir;

    @Test
    void firstWriteLaysOutDataLinkGenerationAndUserVisibleLinks() throws IOException {
        KubeletAtomicWriter.Write w = new KubeletAtomicWriter(dir).write(Map.of("app.properties", "a=1\n", "mode", "x"));

        assertThat(w.changed()).isTrue();
        assertThat(w.generation()).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d+");
        assertThat(Files.readSymbolicLink(dir.resolve("..data")).toString()).isEqualTo(w.generation());
        assertThat(Files.readSymbolicLink(dir.resolve("app.properties"))).isEqualTo(Path.of("..data/app.properties"));
        assertThat(Files.readString(dir.resolve("app.properties"))).isEqualTo("a=1\n");
        assertThat(Files.exists(dir.resolve("..data_tmp"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(w.generation()))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(w.generation()).resolve("mode")))).isEqualTo("rw-r--r--");
    }

    @Test
    void updateSwapsDataLeavesExistingLinksUntouchedAndDeletesOldGeneration() throws IOException {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        KubeletAtomicWriter.Write first = writer.write(Map.of("a", "1"));
        long linkCreated = Files.readAttributes(dir.resolve("a"), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey().hashCode();

        KubeletAtomicWriter.Write second = writer.write(Map.of("a", "2"));

        assertThat(second.generation()).isNotEqualTo(first.generation());
        assertThat(second.removedOld()).isEqualTo(first.generation());
        assertThat(Files.exists(dir.resolve(first.generation()))).isFalse();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        assertThat(Files.readAttributes(dir.resolve("a"), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey().hashCode()).isEqualTo(linkCreated);
        assertThat(names()).containsExactlyInAnyOrder("..data", second.generation(), "a");
    }

    @Test
    void droppedKeyLosesItsLinkAndNewKeyGetsOne() throws IOException {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("a", "1", "b", "2"));

        KubeletAtomicWriter.Write w = writer.write(Map.of("a", "1", "c", "3"));

        assertThat(names()).containsExactlyInAnyOrder("..data", w.generation(), "a", "c");
        assertThat(Files.readString(dir.resolve("c"))).isEqualTo("3");
    }

    @Test
    void sameContentIsTheKubeletsNoOp() throws IOException {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        KubeletAtomicWriter.Write first = writer.write(Map.of("a", "1"));

        KubeletAtomicWriter.Write again = writer.write(Map.of("a", "1"));

        assertThat(again.changed()).isFalse();
        assertThat(again.generation()).isEqualTo(first.generation());
        assertThat(writer.currentGeneration()).isEqualTo(first.generation());
        assertThat(names()).containsExactlyInAnyOrder("..data", first.generation(), "a");
    }

    @Test
    void legacyOrderingEndsInTheSameLayout() throws IOException {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir, KubeletAtomicWriter.Ordering.LEGACY);
        writer.write(Map.of("a", "1"));

        KubeletAtomicWriter.Write w = writer.write(Map.of("a", "1", "b", "2"));

        assertThat(names()).containsExactlyInAnyOrder("..data", w.generation(), "a", "b");
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("2");
    }

    @Test
    void nestedPathsGetOneTopLevelLink() throws IOException {
        KubeletAtomicWriter.Write w = new KubeletAtomicWriter(dir).write(Map.of("conf/x", "1", "conf/y", "2"));

        assertThat(names()).containsExactlyInAnyOrder("..data", w.generation(), "conf");
        assertThat(Files.readString(dir.resolve("conf/y"))).isEqualTo("2");
    }

    @Test
    void refusesThePathsTheKubeletRefuses() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        for (String bad : List.of("", "/etc/passwd", "../x", "a/../../x", "..data", "..hidden", "x".repeat(256))) {
            assertThatThrownBy(() -> writer.write(Map.of(bad, "v"))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid path");
        }
        assertThat(writer.currentGeneration()).isNull();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
