package dev.readiness.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Updates a directory exactly the way the kubelet updates a ConfigMap, Secret, downward API or projected volume
 * (its {@code AtomicWriter}), so a reload can be tested against the real on-disk sequence instead of a file
 * overwrite that Kubernetes never performs.
 * <p>
 * One {@link #write(Map)} does, in this order ({@link Ordering#CURRENT}):
 * <ol>
 *   <li>validates the payload paths (relative, no {@code ..} element, not starting with {@code ..}, names of at
 *       most 255 characters, paths of at most 4096);</li>
 *   <li>reads where {@code ..data} points (the old generation), if anywhere;</li>
 *   <li>finds the user-visible paths of the old generation that the payload no longer has;</li>
 *   <li>returns without touching anything when every file is byte-for-byte the same and nothing is to be
 *       removed (the kubelet's no-op);</li>
 *   <li>creates a fresh {@code ..YYYY_MM_DD_HH_MM_SS.<random>} directory (mode 0755) and writes every file of
 *       the payload into it;</li>
 *   <li>creates the symlink {@code ..data_tmp -> ..<timestamp>.<random>} and renames it onto {@code ..data}
 *       (one atomic {@code rename(2)}: this is the moment the new generation becomes visible);</li>
 *   <li>creates {@code key -> ..data/key} symlinks for top-level names that have none yet (existing ones are
 *       never touched: they already resolve through {@code ..data});</li>
 *   <li>removes the user-visible symlinks of dropped keys;</li>
 *   <li>deletes the old generation directory.</li>
 * </ol>
 * {@link Ordering#LEGACY} creates the new-key symlinks before the rename instead (the order of older kubelets),
 * so a watcher can be proven against both.
 * <p>
 * Not thread-safe, like the kubelet's writer: one writer per directory, calls serialised by the caller.
 * POSIX file systems only (symlinks and an atomic rename are the whole point).
 */
public final class KubeletAtomicWriter {

    /** Name of the symlink that points at the live generation. */
    public static final String DATA_DIR = "..data";
    /** Name of the symlink created for the swap and renamed onto {@link #DATA_DIR}. */
    public static final String NEW_DATA_DIR = "..data_tmp";

    private static final int MAX_FILE_NAME_LENGTH = 255;
    private static final int MAX_PATH_LENGTH = 4096;
    private static final DateTimeFormatter TS_FORMAT =
            DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss'.'").withZone(ZoneOffset.UTC);

    /** Where the new-key symlinks are created relative to the swap of {@code ..data}. */
    public enum Ordering {
        /** After the rename, as current kubelets do. */
        CURRENT,
        /** Before the rename, as older kubelets did. */
        LEGACY
    }

    /**
     * What one write did.
     *
     * @param changed        false for the kubelet's no-op (same content, nothing to remove): nothing was touched
     * @param generation     name of the generation directory {@code ..data} points at after the write
     * @param swapNanos      {@link System#nanoTime()} right after the rename of {@code ..data_tmp} onto
     *                       {@code ..data}; 0 when nothing changed
     * @param removedOld     name of the old generation directory that was deleted, or {@code null}
     */
    public record Write(boolean changed, String generation, long swapNanos, String removedOld) {
    }

    private final Path targetDir;
    private final Ordering ordering;
    private final Clock clock;

    /** A writer with the {@link Ordering#CURRENT} ordering. The directory is created if missing. */
    public KubeletAtomicWriter(Path targetDir) {
        this(targetDir, Ordering.CURRENT);
    }

    public KubeletAtomicWriter(Path targetDir, Ordering ordering) {
        this(targetDir, ordering, Clock.systemUTC());
    }

    public KubeletAtomicWriter(Path targetDir, Ordering ordering, Clock clock) {
        this.targetDir = Objects.requireNonNull(targetDir, "targetDir");
        this.ordering = Objects.requireNonNull(ordering, "ordering");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The volume directory this writer updates. */
    public Path targetDir() {
        return targetDir;
    }

    /** Projects text files (UTF-8) keyed by their path inside the volume. */
    public Write write(Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return writeBytes(bytes);
    }

    /**
     * Projects files keyed by their path inside the volume.
     *
     * @throws IllegalArgumentException for a path the kubelet refuses
     * @throws UncheckedIOException     when the file system fails
     */
    public Write writeBytes(Map<String, byte[]> files) {
        // (1) validate; the kubelet cleans paths the same way
        Map<String, byte[]> payload = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            validatePath(e.getKey());
            payload.put(Path.of(e.getKey()).normalize().toString(), e.getValue().clone());
        }
        try {
            Files.createDirectories(targetDir);
            Path dataDirPath = targetDir.resolve(DATA_DIR);
            // (2)
            String oldTsDir = readLinkOrNull(dataDirPath);
            Path oldTsPath = oldTsDir == null ? null : targetDir.resolve(oldTsDir);
            Set<String> pathsToRemove = Set.of();
            if (oldTsPath != null) {
                // (3)
                pathsToRemove = pathsToRemove(payload, oldTsPath);
                // (4)
                if (!shouldWritePayload(payload, oldTsPath) && pathsToRemove.isEmpty()) {
                    return new Write(false, oldTsDir, 0L, null);
                }
            }
            // (5)
            Path tsDir = newTimestampDir();
            String tsDirName = tsDir.getFileName().toString();
            writePayloadToDir(payload, tsDir);
            if (ordering == Ordering.LEGACY) {
                createUserVisibleFiles(payload);
            }
            // (6)
            Path newDataDirPath = targetDir.resolve(NEW_DATA_DIR);
            Files.deleteIfExists(newDataDirPath); // a leftover of an interrupted write, as the kubelet tolerates
            Files.createSymbolicLink(newDataDirPath, Path.of(tsDirName));
            Files.move(newDataDirPath, dataDirPath, StandardCopyOption.ATOMIC_MOVE);
            long swapped = System.nanoTime();
            // (7)
            if (ordering == Ordering.CURRENT) {
                createUserVisibleFiles(payload);
            }
            // (8)
            removeUserVisiblePaths(pathsToRemove);
            // (9)
            if (oldTsPath != null) {
                deleteRecursively(oldTsPath);
            }
            return new Write(true, tsDirName, swapped, oldTsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("atomic write into " + targetDir + " failed", e);
        }
    }

    /** Where {@code ..data} points now, or {@code null} before the first write. */
    public String currentGeneration() {
        try {
            return readLinkOrNull(targetDir.resolve(DATA_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void validatePath(String targetPath) {
        if (targetPath == null || targetPath.isEmpty()) {
            throw new IllegalArgumentException("invalid path: must not be empty");
        }
        if (targetPath.startsWith("/")) {
            throw new IllegalArgumentException("invalid path: must be relative path: " + targetPath);
        }
        if (targetPath.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException("invalid path: must be less than or equal to " + MAX_PATH_LENGTH
                    + " characters");
        }
        String[] items = targetPath.split("/");
        for (String item : items) {
            if (item.equals("..")) {
                throw new IllegalArgumentException("invalid path: must not contain '..': " + targetPath);
            }
            if (item.length() > MAX_FILE_NAME_LENGTH) {
                throw new IllegalArgumentException("invalid path: filenames must be less than or equal to "
                        + MAX_FILE_NAME_LENGTH + " characters");
            }
        }
        if (items[0].startsWith("..") && items[0].length() > 2) {
            throw new IllegalArgumentException("invalid path: must not start with '..': " + targetPath);
        }
    }

    private static String readLinkOrNull(Path link) throws IOException {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Set<String> pathsToRemove(Map<String, byte[]> payload, Path oldTsDir) throws IOException {
        Set<String> paths = new TreeSet<>();
        if (!Files.isDirectory(oldTsDir, LinkOption.NOFOLLOW_LINKS)) {
            return paths;
        }
        try (Stream<Path> walk = Files.walk(oldTsDir)) {
            walk.filter(p -> !p.equals(oldTsDir)).forEach(p -> paths.add(oldTsDir.relativize(p).toString()));
        }
        Set<String> newPaths = new TreeSet<>();
        for (String file : payload.keySet()) {
            // every parent of a payload path stays, so no non-empty directory is ever removed
            for (Path sub = Path.of(file); sub != null; sub = sub.getParent()) {
                newPaths.add(sub.toString());
            }
        }
        paths.removeAll(newPaths);
        return paths;
    }

    private static boolean shouldWritePayload(Map<String, byte[]> payload, Path oldTsDir) throws IOException {
        for (Map.Entry<String, byte[]> e : payload.entrySet()) {
            Path p = oldTsDir.resolve(e.getKey());
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || !Arrays.equals(Files.readAllBytes(p), e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private Path newTimestampDir() throws IOException {
        Path tsDir = Files.createTempDirectory(targetDir, TS_FORMAT.format(clock.instant()));
        setMode(tsDir, "rwxr-xr-x");
        return tsDir;
    }

    private static void writePayloadToDir(Map<String, byte[]> payload, Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : payload.entrySet()) {
            Path full = dir.resolve(e.getKey());
            Files.createDirectories(full.getParent());
            Files.write(full, e.getValue());
            setMode(full, "rw-r--r--");
        }
    }

    private void createUserVisibleFiles(Map<String, byte[]> payload) throws IOException {
        for (String userVisiblePath : payload.keySet()) {
            int slash = userVisiblePath.indexOf('/');
            String linkName = slash < 0 ? userVisiblePath : userVisiblePath.substring(0, slash);
            Path visible = targetDir.resolve(linkName);
            if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createSymbolicLink(visible, Path.of(DATA_DIR, linkName));
                } catch (FileAlreadyExistsException ignored) {
                    // a nested payload creates the same top-level link once per file
                }
            }
        }
    }

    private void removeUserVisiblePaths(Set<String> paths) throws IOException {
        IOException last = null;
        for (String p : paths) {
            // only symlinks in the volume root are user-visible; nested paths go with the old generation
            if (p.contains("/")) {
                continue;
            }
            try {
                Files.deleteIfExists(targetDir.resolve(p));
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: modes are advisory for the tests that use this writer
        }
    }
}
