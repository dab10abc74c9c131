package dev.readiness.gc.budget;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Counts the classes an application could load, to estimate metaspace: the {@code .class} entries of its jars
 * (including the jars nested in a Spring Boot or WAR archive) and directories, and the resources in the
 * runtime's {@code lib/modules} image, read from the image's header so the count costs one small read.
 */
public final class ClassCounter {

    private static final int JIMAGE_MAGIC = 0xCAFEDADA;

    /**
     * The result of a count.
     *
     * @param appClasses     classes found in the application's paths
     * @param runtimeClasses resources in the runtime image (nearly all are classes)
     * @param notes          paths that could not be read, and what was counted where
     */
    public record Count(long appClasses, long runtimeClasses, List<String> notes) {
        public long total() {
            return appClasses + runtimeClasses;
        }
    }

    private ClassCounter() {
    }

    public static Count count(List<Path> appPaths, Path javaHome) {
        List<String> notes = new ArrayList<>();
        long app = 0;
        for (Path p : appPaths) {
            app += countPath(p, notes);
        }
        return new Count(app, runtimeClasses(javaHome, notes), notes);
    }

    /** Resources in {@code javaHome/lib/modules}, from the jimage header; 0 (with a note) when unreadable. */
    static long runtimeClasses(Path javaHome, List<String> notes) {
        Path image = javaHome.resolve("lib").resolve("modules");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(28);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the whole header
            }
            header.flip();
            if (header.remaining() < 28) {
                notes.add(image + ": too short for a runtime image; runtime classes not counted");
                return 0;
            }
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                header.order(order);
                if (header.getInt(0) == JIMAGE_MAGIC) {
                    return Integer.toUnsignedLong(header.getInt(12));
                }
            }
            notes.add(image + ": not a runtime image; runtime classes not counted");
        } catch (IOException | RuntimeException e) {
            notes.add(image + ": unreadable (" + e.getMessage() + "); runtime classes not counted");
        }
        return 0;
    }

    private static long countPath(Path p, List<String> notes) {
        try {
            if (p.getFileName() != null && p.getFileName().toString().equals("*")) {
                long n = 0;
                try (Stream<Path> jars = Files.list(p.getParent())) {
                    for (Path jar : (Iterable<Path>) jars.filter(j -> j.toString().endsWith(".jar"))::iterator) {
                        n += countJar(jar, notes);
                    }
                }
                return n;
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    return files.filter(f -> f.toString().endsWith(".class")).count();
                }
            }
            if (Files.isRegularFile(p)) {
                return countJar(p, notes);
            }
            notes.add(p + ": not found; not counted");
        } catch (IOException | RuntimeException e) {
            notes.add(p + ": unreadable (" + e.getMessage() + "); not counted");
        }
        return 0;
    }

    private static long countJar(Path jar, List<String> notes) {
        long n = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    n++;
                } else if (name.endsWith(".jar") && (name.startsWith("BOOT-INF/lib/") || name.startsWith("WEB-INF/lib/")
                        || name.startsWith("lib/"))) {
                    n += countNested(zip.getInputStream(e));
                }
            }
        } catch (IOException | RuntimeException e) {
            notes.add(jar + ": not a readable jar (" + e.getMessage() + "); not counted");
        }
        return n;
    }

    private static long countNested(InputStream in) throws IOException {
        long n = 0;
        try (ZipInputStream nested = new ZipInputStream(in)) {
            for (ZipEntry e = nested.getNextEntry(); e != null; e = nested.getNextEntry()) {
                if (e.getName().endsWith(".class")) {
                    n++;
                }
            }
        }
        return n;
    }
}
