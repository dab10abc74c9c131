package dev.readiness.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of the temporary directories the testkit's servers and certificates create. */
final class TempDirs {

    private TempDirs() {
    }

    /** Deletes {@code dir} and everything below it, as far as it can; what is left is the OS's to clean up. */
    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory; the OS cleans up what is left
        }
    }
}
