package dev.readiness.core.reload;

import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A ConfigMap volume as the kubelet lays it out ({@code ..data} symlink, a generation directory, user-visible links),
 * with generated keys and contents, and then broken the ways a volume breaks: {@link SnapshotReader#read()} gives one
 * generation or a {@link ReadFailure}, never another exception, and {@link SnapshotReader#fingerprint()} never
 * throws. A valid volume reads to its files' texts.
 */
class ConfigMapVolumePropertiesTest {

    private Path dir;

    /** The property run in a fresh {@link #dir} for each input (and each shrunk one), deleted after it. */
    private <T> Fuzz.Property<T> inFreshDir(Fuzz.Property<T> property) {
        return input -> {
            dir = Files.createTempDirectory("configmap-volume-property");
            try {
                property.check(input);
            } finally {
                deleteDir();
            }
        };
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A ConfigMap's payload: a key of the names the API server allows ([-._a-zA-Z0-9]+), nested paths too. */
    private static Gen<Map<String, byte[]>> payloads() {
        Gen<String> name = Gen.strings().withChars("abcXYZ019-_.").ofMinLength(1).ofMaxLength(12)
                .filter(n -> !n.startsWith("..") && !n.equals(".") && !n.endsWith("~") && !n.endsWith(".tmp")
                        && !n.endsWith(".swp") && !n.endsWith(".swx"));
        Gen<String> key = Gen.oneOf(name,
                Gen.combine(name, Gen.of(".properties", ".yaml", ".yml", ".PROPERTIES"), (n, ext) -> n + ext),
                Gen.combine(name.filter(n -> !n.contains(".")), name, (d, n) -> d + "/" + n));
        Gen<byte[]> content = Gen.oneOf(
                Gen.strings().all().ofMaxLength(60).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Gen.bytes().ofMaxSize(60),
                Gen.of("a=1\nb=\\u12\n", "k: v\nlist: [1, 2]\n", "k: [\n", "- a\n", "x: !!binary aGk=\n",
                        "a.b=1\r\n", "").map(s -> s.getBytes(StandardCharsets.UTF_8)));
        return Gen.maps(key, content, 0, 8).filter(ConfigMapVolumePropertiesTest::noFileUnderAFile);
    }

    private static boolean noFileUnderAFile(Map<String, byte[]> payload) {
        for (String k : payload.keySet()) {
            if (k.contains("/") && payload.containsKey(k.substring(0, k.indexOf('/')))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aKubeletVolumeReadsToItsFilesOrAnInvalidFile() {
        Fuzz.forAll(200, payloads(), inFreshDir(this::readsToItsFilesOrAnInvalidFile));
    }

    private void readsToItsFilesOrAnInvalidFile(Map<String, byte[]> payload) throws Exception {
        new KubeletAtomicWriter(dir).writeBytes(payload);
        SnapshotReader.Generation g;
        try {
            g = new SnapshotReader(dir, new Formats()).read();
        } catch (ReadFailure f) {
            assertThat(f.result()).isEqualTo(ReloadResult.INVALID);
            return;
        }
        Map<String, String> expected = new TreeMap<>();
        payload.forEach((k, v) -> {
            String text = Formats.text(v);
            if (text != null) {
                expected.put(k, Formats.trimNewline(text));
            }
        });
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!Formats.parsed(e.getKey())) {
                // a parsed file may define a key of the same name and win, with a warning
                assertThat(g.values().get(e.getKey())).satisfiesAnyOf(
                        v -> assertThat(v).isEqualTo(e.getValue()),
                        v -> assertThat(g.warnings()).anyMatch(w -> w.startsWith("key " + e.getKey() + " ")));
            }
        }
    }

    /** Ways a volume directory is found broken: torn down, half written, tampered with. */
    enum Breakage {
        DATA_IS_A_FILE, DATA_IS_A_DIRECTORY, DATA_DANGLES, DATA_POINTS_AT_A_FILE, DATA_POINTS_AT_ITSELF,
        DATA_POINTS_OUTSIDE_UP, DATA_IS_EMPTY_LINK_TARGET, GENERATION_HAS_A_LINK_LOOP, GENERATION_HAS_A_LINK_OUT,
        GENERATION_IS_DEEP, USER_LINK_DANGLES, HALF_WRITTEN_GENERATION, DATA_GONE, NONE
    }

    /** A payload written by the kubelet or as plain files ({@code plain}), then broken in up to three ways. */
    private record Broken(Map<String, byte[]> payload, List<Breakage> breakages, boolean plain) {
    }

    @Test
    void aBrokenVolumeIsAGenerationOrAReadFailureNeverAnotherException() {
        Gen<Broken> broken = Gen.combine(payloads(), Gen.of(Breakage.values()).list(), Gen.of(false, true),
                Broken::new);
        Fuzz.forAll(200, broken, inFreshDir(b -> aBrokenVolumeIsAGenerationOrAReadFailure(b.payload(),
                b.breakages(), b.plain())));
    }

    private void aBrokenVolumeIsAGenerationOrAReadFailure(Map<String, byte[]> payload, List<Breakage> breakages,
                                                          boolean plain) throws Exception {
        SnapshotReader reader = new SnapshotReader(dir, new Formats());
        if (plain) {
            for (Map.Entry<String, byte[]> e : payload.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        } else {
            new KubeletAtomicWriter(dir).writeBytes(payload);
            readOrFail(reader); // a kubelet volume seen once: a missing ..data is a teardown from now on
        }
        for (Breakage b : breakages.subList(0, Math.min(3, breakages.size()))) {
            try {
                breakage(b);
            } catch (IOException e) {
                // this breakage does not apply to what an earlier one left: the directory stays as it is
            }
        }
        readOrFail(reader);
        assertThat(reader.fingerprint()).isNotNull();
        readOrFail(new SnapshotReader(dir, new Formats()));
    }

    private static void readOrFail(SnapshotReader reader) {
        try {
            SnapshotReader.Generation g = reader.read();
            assertThat(g.values()).isNotNull();
        } catch (ReadFailure expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (RuntimeException | Error e) {
            fail("read threw " + e, e);
        }
    }

    private void breakage(Breakage b) throws IOException {
        Path data = dir.resolve("..data");
        String target = Files.isSymbolicLink(data) ? Files.readSymbolicLink(data).toString() : null;
        Path gen = target == null ? null : dir.resolve(target);
        switch (b) {
            case DATA_IS_A_FILE -> {
                Files.deleteIfExists(data);
                Files.writeString(data, "not a link");
            }
            case DATA_IS_A_DIRECTORY -> {
                Files.deleteIfExists(data);
                Files.createDirectory(data);
            }
            case DATA_DANGLES -> relink(data, "..2026_01_01_00_00_00.gone");
            case DATA_POINTS_AT_A_FILE -> {
                Files.writeString(dir.resolve("..file"), "a=1");
                relink(data, "..file");
            }
            case DATA_POINTS_AT_ITSELF -> relink(data, "..data");
            case DATA_POINTS_OUTSIDE_UP -> {
                Path outside = Files.createDirectories(dir.resolve("..outside/inner"));
                Files.writeString(outside.resolve("k"), "v");
                relink(data, "..outside/inner/../inner");
            }
            case DATA_IS_EMPTY_LINK_TARGET -> relink(data, ".");
            case GENERATION_HAS_A_LINK_LOOP -> {
                if (gen != null && Files.isDirectory(gen)) {
                    Files.createSymbolicLink(gen.resolve("loop"), Path.of("."));
                    Files.createSymbolicLink(gen.resolve("self"), Path.of("self"));
                }
            }
            case GENERATION_HAS_A_LINK_OUT -> {
                if (gen != null && Files.isDirectory(gen)) {
                    Files.createSymbolicLink(gen.resolve("passwd"), Path.of("/etc/passwd"));
                }
            }
            case GENERATION_IS_DEEP -> {
                Path base = gen != null && Files.isDirectory(gen) ? gen : dir;
                Path deep = base;
                for (int i = 0; i < 20; i++) {
                    deep = deep.resolve("d");
                }
                Files.createDirectories(deep);
                Files.writeString(deep.resolve("k"), "v");
            }
            case USER_LINK_DANGLES -> Files.createSymbolicLink(dir.resolve("gone"), Path.of("..data/gone"));
            case HALF_WRITTEN_GENERATION -> Files.createDirectories(dir.resolve("..2026_12_06_22_00_00.123"));
            case DATA_GONE -> Files.deleteIfExists(data);
            case NONE -> {
            }
        }
    }

    private static void relink(Path link, String target) throws IOException {
        if (Files.isDirectory(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(link)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(target));
    }
}
