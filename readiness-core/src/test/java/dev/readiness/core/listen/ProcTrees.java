package dev.readiness.core.listen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The recorded /proc trees under src/test/resources/proc, and helpers to build trees in a temp dir. */
final class ProcTrees {

    static final String LINUX_6_18 = "linux-6.18";
    static final String LINUX_4_19 = "linux-4.19";
    static final String LINUX_3_10 = "linux-3.10";

    private ProcTrees() {
    }

    static Path recorded(String kernel) {
        URL url = ProcTrees.class.getResource("/proc/" + kernel);
        if (url == null) {
            throw new IllegalStateException("no recorded tree " + kernel);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String kernel, String file) {
        try {
            return Files.readAllBytes(recorded(kernel).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String kernel, String file) {
        return new String(bytes(kernel, file), StandardCharsets.ISO_8859_1);
    }

    /** A writable copy of a recorded tree. */
    static Path copy(String kernel, Path into) throws IOException {
        Path from = recorded(kernel);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = into.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return into;
    }

    /** Makes {@code root/self/fd} hold socket links to these inodes, plus a few non-socket links. */
    static void fds(Path root, long... socketInodes) throws IOException {
        Path fd = Files.createDirectories(root.resolve("self/fd"));
        Files.createSymbolicLink(fd.resolve("0"), Path.of("anon_inode:[eventpoll]"));
        Files.createSymbolicLink(fd.resolve("1"), Path.of("pipe:[4242]"));
        int n = 3;
        for (long inode : socketInodes) {
            Files.createSymbolicLink(fd.resolve(Integer.toString(n++)), Path.of("socket:[" + inode + "]"));
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }

    /** Listeners of a parse, in file order. */
    static List<ListenSocket> listeners(byte[] data, boolean ipv6) {
        List<ListenSocket> out = new ArrayList<>();
        int skipped = TcpTableParser.parse(data, data.length, ipv6, out::add);
        if (skipped != 0) {
            throw new AssertionError("expected every row readable, skipped " + skipped);
        }
        return out;
    }
}
