package dev.readiness.core.reload;

import dev.readiness.testkit.KubeletAtomicWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class SnapshotReaderTest {

    @TempDir
    Path dir;

    private SnapshotReader reader() {
        return new SnapshotReader(dir, new Formats());
    }

    @Test
    void readsTheGenerationThatDataPointsAt() throws Exception {
        KubeletAtomicWriter.Write w = new KubeletAtomicWriter(dir).write(Map.of("mode", "fast\n",
                "app.properties", "a=1\n", "nested/x", "y"));

        SnapshotReader.Generation g = reader().read();

        assertThat(g.dataTarget()).isEqualTo(w.generation());
        assertThat(g.source()).isEqualTo(dir.resolve(w.generation()));
        assertThat(g.values()).containsOnly(entry("mode", "fast"), entry("app.properties", "a=1"),
                entry("a", "1"), entry("nested/x", "y"));
    }

    @Test
    void readsTheNewerGenerationWhenDataMovesDuringTheRead() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("v", "1"));
        SnapshotReader r = reader();
        AtomicInteger calls = new AtomicInteger();
        r.afterRead(() -> {
            if (calls.getAndIncrement() == 0) {
                writer.write(Map.of("v", "2")); // the kubelet swaps while we read generation 1
            }
        });

        SnapshotReader.Generation g = r.read();

        assertThat(g.values()).containsOnly(entry("v", "2"));
        assertThat(calls).hasValue(2);
    }

    @Test
    void givesUpWhenDataKeepsMovingAndSaysSo() {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        writer.write(Map.of("v", "0"));
        SnapshotReader r = reader();
        AtomicInteger n = new AtomicInteger();
        r.afterRead(() -> writer.write(Map.of("v", String.valueOf(n.incrementAndGet()))));

        assertThatThrownBy(r::read).isInstanceOf(ReadFailure.class).hasMessageContaining("moved 5 times")
                .satisfies(e -> assertThat(((ReadFailure) e).result()).isEqualTo(ReloadResult.READ_ERROR));
    }

    @Test
    void aGenerationDeletedMidReadIsRetriedNotReportedAsEmpty() throws Exception {
        KubeletAtomicWriter writer = new KubeletAtomicWriter(dir);
        KubeletAtomicWriter.Write first = writer.write(Map.of("a", "1", "b", "2"));
        SnapshotReader r = reader();
        AtomicInteger calls = new AtomicInteger();
        r.afterRead(() -> {
            if (calls.getAndIncrement() == 0) {
                writer.write(Map.of("a", "1", "b", "3"));
            }
        });
        assertThat(r.read().values()).containsEntry("b", "3");
        assertThat(Files.exists(dir.resolve(first.generation()))).isFalse();
    }

    @Test
    void plainDirectoryIsReadFileByFileSkippingEditorLeftovers() throws Exception {
        Files.writeString(dir.resolve("greeting"), "hi\n");
        Files.writeString(dir.resolve(".env"), "x");
        for (String junk : new String[]{"greeting~", ".greeting.swp", ".#greeting", "#greeting#", "a.tmp"}) {
            Files.writeString(dir.resolve(junk), "junk");
        }
        Files.createDirectory(dir.resolve("sub"));

        SnapshotReader.Generation g = reader().read();

        assertThat(g.dataTarget()).isNull();
        assertThat(g.source()).isEqualTo(dir);
        assertThat(g.values()).containsOnly(entry("greeting", "hi"), entry(".env", "x"));
    }

    @Test
    void danglingLinkInAPlainDirectoryIsAReadErrorNotAMissingKey() throws Exception {
        Files.writeString(dir.resolve("ok"), "1");
        Files.createSymbolicLink(dir.resolve("app.properties"), Path.of("..data/app.properties"));

        assertThatThrownBy(reader()::read).isInstanceOf(ReadFailure.class).hasMessageContaining("dangling");
    }

    @Test
    void missingDirectoryOrAFileInsteadIsAReadError() throws IOException {
        assertThatThrownBy(new SnapshotReader(dir.resolve("nope"), new Formats())::read)
                .hasMessageContaining("does not exist");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(new SnapshotReader(file, new Formats())::read).hasMessageContaining("not a directory");
    }

    @Test
    void dataThatIsNotALinkIsAReadError() throws IOException {
        Files.createDirectory(dir.resolve("..data"));
        assertThatThrownBy(reader()::read).hasMessageContaining("not a symlink");
    }

    @Test
    void dataVanishingFromAKubeletVolumeIsNeverReadAsEmpty() throws Exception {
        new KubeletAtomicWriter(dir).write(Map.of("a", "1"));
        SnapshotReader r = reader();
        r.read();
        Files.delete(dir.resolve("..data"));
        Files.delete(dir.resolve("a"));

        assertThatThrownBy(r::read).isInstanceOf(ReadFailure.class).hasMessageContaining("..data is gone");
    }

    @Test
    void aFirstKubeletWriteInProgressIsNotAnEmptyConfiguration() throws IOException {
        Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.123"));
        assertThatThrownBy(reader()::read).hasMessageContaining("kubelet write is in progress");
    }

    @Test
    void oversizedFileIsAReadErrorNamingIt() throws IOException {
        Files.write(dir.resolve("huge"), new byte[SnapshotReader.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(reader()::read).hasMessageContaining("huge").hasMessageContaining("larger than");
    }

    @Test
    void binaryKeyHasNoValueButBinaryPropertiesAreInvalid() throws Exception {
        new KubeletAtomicWriter(dir).writeBytes(Map.of("logo.png", new byte[]{(byte) 0x89, 'P', 'N', 'G', (byte) 0xff},
                "a", "1".getBytes()));
        SnapshotReader.Generation g = reader().read();
        assertThat(g.values()).containsOnly(entry("a", "1"));
        assertThat(g.warnings()).singleElement().asString().contains("logo.png");

        new KubeletAtomicWriter(dir).writeBytes(Map.of("app.properties", new byte[]{(byte) 0xff, (byte) 0xfe}));
        assertThatThrownBy(reader()::read).hasMessageContaining("app.properties: not valid UTF-8");
    }

    @Test
    void laterFileWinsAClashAndTheClashIsReported() throws Exception {
        new KubeletAtomicWriter(dir).write(Map.of("a.properties", "k=from-a", "b.yaml", "k: from-b"));
        SnapshotReader.Generation g = reader().read();
        assertThat(g.values()).containsEntry("k", "from-b");
        assertThat(g.warnings()).singleElement().asString().contains("key k from b.yaml overrides the one from a.properties");
    }

    @Test
    void fingerprintFollowsDataAndPlainFiles() throws Exception {
        Path plain = Files.createDirectory(dir.resolve("plain"));
        SnapshotReader p = new SnapshotReader(plain, new Formats());
        String before = p.fingerprint();
        Files.writeString(plain.resolve("k"), "v");
        assertThat(p.fingerprint()).isNotEqualTo(before);

        Path vol = dir.resolve("vol");
        KubeletAtomicWriter w = new KubeletAtomicWriter(vol);
        w.write(Map.of("k", "1"));
        SnapshotReader k = new SnapshotReader(vol, new Formats());
        String gen1 = k.fingerprint();
        w.write(Map.of("k", "2"));
        assertThat(k.fingerprint()).isNotEqualTo(gen1).startsWith("..data->");
        assertThat(new SnapshotReader(dir.resolve("gone"), new Formats()).fingerprint()).isEqualTo("missing");
    }
}
