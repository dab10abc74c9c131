package dev.readiness.testkit.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which signals this process ignores, from the {@code SigIgn} mask of {@code /proc/self/status}. A JVM started with
 * SIGINT ignored (a background job of a non-interactive shell, {@code nohup}) keeps it ignored, and so does every
 * process it forks: no SIGINT can reach them, so a test of Ctrl-C has nothing to test there and says so.
 */
public final class IgnoredSignals {

    /** SIGINT's number on Linux. */
    public static final int SIGINT = 2;

    private IgnoredSignals() {
    }

    /** Whether this process ignores SIGINT; false where /proc cannot tell (not Linux). */
    public static boolean sigint() {
        try {
            return ignores(Files.readAllLines(Path.of("/proc/self/status")), SIGINT);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the {@code SigIgn:} line of a {@code /proc/<pid>/status} text has {@code signal}'s bit set; false
     * without that line or with a mask that is not hexadecimal.
     */
    static boolean ignores(List<String> status, int signal) {
        for (String line : status) {
            if (line.startsWith("SigIgn:")) {
                try {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16)
                            & (1L << (signal - 1))) != 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** What a test that needs SIGINT says when it cannot run. */
    public static String sigintMessage() {
        return "SIGINT is ignored in this JVM, inherited from the way the build was started (a background job or"
                + " nohup); the forked process would ignore it too, so this test cannot run here. Run the build"
                + " from a terminal to test Ctrl-C";
    }
}
