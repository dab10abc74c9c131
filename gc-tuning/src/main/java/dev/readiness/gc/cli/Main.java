package dev.readiness.gc.cli;

import dev.readiness.gc.GcTuning;
import dev.readiness.gc.budget.TuningException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: {@code java -jar readiness-gc-tuning.jar <command> [-- <java arguments>]}.
 * <ul>
 *   <li>{@code flags}: the JVM options for this container, one a line (what the entrypoint uses)</li>
 *   <li>{@code explain}: the limits, the budget table with the reason for each figure, and the options</li>
 *   <li>{@code argfile <file>}: writes the options to a JVM argument file, for {@code java @file} in images
 *       without a shell</li>
 *   <li>{@code entrypoint}: prints the POSIX sh entrypoint script</li>
 * </ul>
 * The arguments after {@code --} are the java command the options are for (without {@code java} itself): the
 * options the user set there are kept and counted, and its {@code -jar}/{@code -cp} name the classes to count.
 * Exit status: 0 done, 2 a bad {@code READINESS_GC_*} setting or usage, 3 the limit cannot hold the JVM.
 * <p>
 * Uses nothing outside the JDK, so it starts fast with this jar alone on the class path.
 */
public final class Main {

    static final int OK = 0;
    static final int BAD_SETTING = 2;
    static final int DOES_NOT_FIT = 3;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, GcTuning.Inputs.current(javaArgs(args)), System.out, System.err);
        System.out.flush();
        if (status != OK) {
            System.exit(status);
        }
    }

    /** Runs a command; testable with recorded inputs. */
    public static int run(String[] args, GcTuning.Inputs inputs, PrintStream out, PrintStream err) {
        int dashes = Arrays.asList(args).indexOf("--");
        List<String> own = Arrays.asList(args).subList(0, dashes < 0 ? args.length : dashes);
        String command = own.isEmpty() ? "help" : own.get(0);
        try {
            switch (command) {
                case "flags" -> {
                    GcTuning t = GcTuning.compute(inputs);
                    t.warnings().forEach(w -> err.println("readiness-gc: warning: " + w));
                    t.plan().flags().forEach(out::println);
                }
                case "explain" -> out.print(GcTuning.compute(inputs).explain());
                case "argfile" -> {
                    if (own.size() != 2) {
                        err.println("readiness-gc: usage: argfile <file> [-- <java arguments>]");
                        return BAD_SETTING;
                    }
                    GcTuning t = GcTuning.compute(inputs);
                    t.warnings().forEach(w -> err.println("readiness-gc: warning: " + w));
                    writeAtomically(Path.of(own.get(1)), String.join("\n", t.plan().flags()) + "\n");
                }
                case "entrypoint" -> {
                    try (InputStream in = Main.class.getResourceAsStream("/dev/readiness/gc/readiness-gc-entrypoint.sh")) {
                        out.write(in.readAllBytes());
                    }
                }
                case "help", "-h", "--help" -> out.print(usage());
                default -> {
                    err.println("readiness-gc: unknown command '" + command + "'");
                    err.print(usage());
                    return BAD_SETTING;
                }
            }
            return OK;
        } catch (TuningException e) {
            err.println("readiness-gc: " + e.getMessage());
            return e.doesNotFit() ? DOES_NOT_FIT : BAD_SETTING;
        } catch (IOException e) {
            err.println("readiness-gc: " + e);
            return BAD_SETTING;
        }
    }

    /** The JVM reads an argument file whole; a half-written one would start the app with half its options. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".readiness-gc", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> javaArgs(String[] args) {
        int dashes = Arrays.asList(args).indexOf("--");
        return dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
    }

    private static String usage() {
        return """
                usage: java -jar readiness-gc-tuning.jar <command> [-- <java arguments>]
                  flags              JVM options for this container, one a line
                  explain            the memory budget and the reason for each option
                  argfile <file>     write the options to a JVM argument file (java @file ...)
                  entrypoint         print the POSIX sh entrypoint script
                settings (environment): READINESS_GC_MEMORY_LIMIT, READINESS_GC_CPU_LIMIT, READINESS_GC_CPU_MILLICORES,
                  READINESS_GC_HEADROOM_PERCENT,
                  READINESS_GC_MAX_HEAP_PERCENT, READINESS_GC_MIN_HEAP, READINESS_GC_THREAD_COUNT, READINESS_GC_STACK_SIZE,
                  READINESS_GC_DIRECT_MEMORY, READINESS_GC_CLASS_COUNT, READINESS_GC_CLASS_LOAD_FACTOR, READINESS_GC_APP_PATH,
                  READINESS_GC_XMS, READINESS_GC_LOG_DIR, READINESS_GC_HEAP_DUMP_DIR (see src/docs/gc-tuning.md)
                """;
    }
}
