package dev.readiness.core.reload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads one generation of a watched directory.
 * <p>
 * Kubelet-managed ({@code ..data} present): resolves {@code ..data} once, reads every file of that generation
 * directory (never the user-visible links, which the kubelet adds and removes around the swap), then resolves
 * {@code ..data} again; if it moved, the read starts over on the newer generation. A generation directory is
 * never modified once {@code ..data} points at it, so a read that ends with the link unchanged is one whole
 * generation. Plain directory: reads the top-level files, skipping editor leftovers.
 */
final class SnapshotReader {

    static final String DATA = "..data";
    /** Larger than the 1 MiB a ConfigMap can hold, small enough that a stray file cannot exhaust the heap. */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    static final int MAX_ATTEMPTS = 5;
    private static final int MAX_DEPTH = 8;

    /** One read generation. {@code dataTarget} is where {@code ..data} pointed, or null for a plain directory. */
    record Generation(Path source, String dataTarget, Map<String, String> values, List<String> warnings) {
    }

    private final Path dir;
    private final Formats formats;
    private volatile Runnable afterReadHook = () -> { };
    // once a kubelet managed the directory, a missing ..data is a volume being torn down, never "no keys"
    private volatile boolean kubeletSeen;

    SnapshotReader(Path dir, Formats formats) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.formats = Objects.requireNonNull(formats, "formats");
    }

    /** For tests: runs between reading a generation and checking {@code ..data} again. */
    void afterRead(Runnable hook) {
        this.afterReadHook = hook;
    }

    Path dir() {
        return dir;
    }

    Generation read() throws ReadFailure {
        if (!Files.isDirectory(dir)) {
            throw ReadFailure.read(Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                    ? "config directory " + dir + " is not a directory: point it at the directory the volume is"
                    + " mounted at, not a file in it (a file mounted with subPath never updates)"
                    : "config directory " + dir + " does not exist", null);
        }
        ReadFailure last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String target = dataTarget();
            if (target == null) {
                if (kubeletSeen) {
                    throw ReadFailure.read(DATA + " is gone from " + dir + ": the volume is being torn down or"
                            + " replaced; waiting for the kubelet to write a new generation", null);
                }
                return readPlain();
            }
            Path gen = dir.resolve(target).normalize();
            Map<String, String> values = null;
            List<String> warnings = new ArrayList<>();
            try {
                values = readTree(gen, warnings);
            } catch (ReadFailure f) {
                last = f;
            }
            afterReadHook.run();
            if (target.equals(dataTarget())) {
                if (last != null) {
                    throw last;
                }
                kubeletSeen = true;
                return new Generation(gen, target, values, List.copyOf(warnings));
            }
            last = null; // the generation moved on while we read: what failed was an old one
        }
        throw ReadFailure.read(DATA + " in " + dir + " moved " + MAX_ATTEMPTS
                + " times while it was being read; will retry on the next change", null);
    }

    /**
     * What {@code ..data} points at, or null when there is none.
     *
     * @throws ReadFailure when {@code ..data} exists but is not a symlink, or cannot be read
     */
    String dataTarget() throws ReadFailure {
        Path data = dir.resolve(DATA);
        try {
            return Files.readSymbolicLink(data).toString();
        } catch (NoSuchFileException e) {
            return null;
        } catch (NotLinkException e) {
            throw ReadFailure.read(data + " exists but is not a symlink: not a volume the kubelet manages", e);
        } catch (IOException e) {
            throw ReadFailure.read("cannot read " + data + ": " + e, e);
        }
    }

    /**
     * A cheap token that changes when the content may have changed: where {@code ..data} points, or for a plain
     * directory the names, sizes and modification times of its files. Never throws.
     */
    String fingerprint() {
        try {
            if (!Files.isDirectory(dir)) {
                return "missing";
            }
            String target = dataTarget();
            if (target != null) {
                return DATA + "->" + target;
            }
            StringBuilder b = new StringBuilder("plain:");
            for (Path p : listPlain()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                b.append(p.getFileName()).append('/').append(a.size()).append('/')
                        .append(a.lastModifiedTime()).append(';');
            }
            return b.toString();
        } catch (ReadFailure | IOException | RuntimeException e) {
            return "unreadable:" + e.getMessage();
        }
    }

    private Generation readPlain() throws ReadFailure {
        List<String> warnings = new ArrayList<>();
        Map<String, byte[]> files = new TreeMap<>();
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString()
                    .startsWith(".."))) {
                for (Path p : ds) {
                    // a kubelet's first write between creating the generation and the ..data link
                    throw ReadFailure.read(dir + " has " + p.getFileName() + " but no " + DATA
                            + ": a kubelet write is in progress", null);
                }
            }
            for (Path p : listPlain()) {
                String name = p.getFileName().toString();
                if (Files.isSymbolicLink(p) && !Files.exists(p)) {
                    // the user-visible link of a kubelet volume whose ..data is gone: never read that as "empty"
                    throw ReadFailure.read(p + " is a dangling symlink (to " + Files.readSymbolicLink(p) + ")", null);
                }
                if (Files.isRegularFile(p)) {
                    files.put(name, readBounded(p));
                }
            }
        } catch (IOException e) {
            throw ReadFailure.read("cannot read " + dir + ": " + e, e);
        }
        return new Generation(dir, null, assemble(files, warnings), List.copyOf(warnings));
    }

    private List<Path> listPlain() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!skippedInPlainDirectory(p.getFileName().toString())) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Kubelet internals and the files editors leave next to the one being edited. */
    static boolean skippedInPlainDirectory(String name) {
        return name.startsWith("..") || name.startsWith(".#") || name.endsWith("~") || name.endsWith(".swp")
                || name.endsWith(".swx") || name.endsWith(".tmp") || (name.startsWith("#") && name.endsWith("#"));
    }

    private Map<String, String> readTree(Path gen, List<String> warnings) throws ReadFailure {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(gen, MAX_DEPTH)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(gen.relativize(p).toString().replace('\\', '/'), readBounded(p));
                }
            }
        } catch (NoSuchFileException e) {
            throw ReadFailure.read("generation " + gen.getFileName() + " vanished while it was being read", e);
        } catch (FileSystemLoopException e) {
            throw ReadFailure.read("symlink loop in " + gen + ": " + e.getFile(), e);
        } catch (IOException | java.io.UncheckedIOException e) {
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof NoSuchFileException) {
                throw ReadFailure.read("generation " + gen.getFileName() + " vanished while it was being read", cause);
            }
            throw ReadFailure.read("cannot read " + gen + ": " + cause, cause);
        }
        return assemble(files, warnings);
    }

    private static byte[] readBounded(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
            if (b.length > MAX_FILE_BYTES) {
                throw new IOException(p.getFileName() + " is larger than " + MAX_FILE_BYTES
                        + " bytes, the most a config file may hold");
            }
            return b;
        }
    }

    /**
     * Every file's own key first, then the keys parsed files define, in file name order: a later file wins a
     * clash, and the clash is reported.
     */
    private Map<String, String> assemble(Map<String, byte[]> files, List<String> warnings) throws ReadFailure {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String text = Formats.text(f.getValue());
            if (text == null) {
                if (Formats.parsed(f.getKey())) {
                    throw ReadFailure.invalid(f.getKey() + ": not valid UTF-8");
                }
                warnings.add(f.getKey() + " is not UTF-8 text (binary data?): it has no value");
                continue;
            }
            texts.put(f.getKey(), text);
            values.put(f.getKey(), Formats.trimNewline(text));
            origin.put(f.getKey(), f.getKey());
        }
        for (Map.Entry<String, String> t : texts.entrySet()) {
            if (!Formats.parsed(t.getKey())) {
                continue;
            }
            for (Map.Entry<String, String> kv : formats.parse(t.getKey(), t.getValue()).entrySet()) {
                String before = origin.put(kv.getKey(), t.getKey());
                if (before != null) {
                    warnings.add("key " + kv.getKey() + " from " + t.getKey() + " overrides the one from " + before);
                }
                values.put(kv.getKey(), kv.getValue());
            }
        }
        return values;
    }
}
