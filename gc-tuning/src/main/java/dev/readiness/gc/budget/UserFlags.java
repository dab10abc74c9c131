package dev.readiness.gc.budget;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM options the user already set, in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or on the java
 * command line. They always win over the computed ones, and the budget counts their values.
 * <p>
 * Later settings win, as in the JVM (the command line is read after both variables). Only the JVM options before
 * the main class, {@code -jar} or {@code -m} are read; {@code @argfiles} among them are expanded.
 */
public final class UserFlags {

    /** The options the budget and the flag plan care about. */
    public enum Option {
        MAX_HEAP, INITIAL_HEAP, RAM_PERCENTAGE, STACK_SIZE, METASPACE, CODE_CACHE, DIRECT_MEMORY, COLLECTOR,
        EXIT_ON_OOM, HEAP_DUMP, HEAP_DUMP_PATH, GC_LOG, ACTIVE_PROCESSORS
    }

    /**
     * One option as the user wrote it.
     *
     * @param token  the option as written, e.g. {@code -Xmx300m}
     * @param source where it was found: {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code command line}
     * @param value  the value in bytes (sizes), a percentage, a collector name, or {@code null}
     */
    public record Setting(String token, String source, Object value) {
    }

    private final Map<Option, Setting> settings;
    private final List<String> classPath;
    private final List<String> problems;

    private UserFlags(Map<Option, Setting> settings, List<String> classPath, List<String> problems) {
        this.settings = Collections.unmodifiableMap(new EnumMap<>(settings));
        this.classPath = List.copyOf(classPath);
        this.problems = List.copyOf(problems);
    }

    /** No options set anywhere. */
    public static UserFlags none() {
        return parse(null, null, List.of());
    }

    /**
     * @param javaToolOptions the value of {@code JAVA_TOOL_OPTIONS}, may be {@code null}
     * @param jdkJavaOptions  the value of {@code JDK_JAVA_OPTIONS}, may be {@code null}
     * @param commandLine     the java command's arguments (without the java executable itself)
     */
    public static UserFlags parse(String javaToolOptions, String jdkJavaOptions, List<String> commandLine) {
        Parser p = new Parser();
        p.options(tokenize(javaToolOptions), "JAVA_TOOL_OPTIONS", false);
        p.options(tokenize(jdkJavaOptions), "JDK_JAVA_OPTIONS", false);
        p.options(commandLine, "command line", true);
        return new UserFlags(p.settings, p.classPath, p.problems);
    }

    public Optional<Setting> get(Option option) {
        return Optional.ofNullable(settings.get(option));
    }

    public boolean has(Option option) {
        return settings.containsKey(option);
    }

    /** A size option's value in bytes, when set. */
    public Optional<Long> bytes(Option option) {
        return get(option).map(s -> (Long) s.value());
    }

    /** Jars and directories named by {@code -jar}, {@code -cp}, {@code -classpath} or {@code --class-path}. */
    public List<String> classPath() {
        return classPath;
    }

    /** Options that could not be read (a size that is not a size); they are left to the JVM to reject. */
    public List<String> problems() {
        return problems;
    }

    public Map<Option, Setting> all() {
        return settings;
    }

    /** Splits an options variable the way the JVM does: on white space, keeping quoted parts together. */
    static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        if (text == null) {
            return tokens;
        }
        StringBuilder current = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current = current == null ? new StringBuilder() : current;
            } else if (Character.isWhitespace(c)) {
                if (current != null) {
                    tokens.add(current.toString());
                    current = null;
                }
            } else {
                current = current == null ? new StringBuilder() : current;
                current.append(c);
            }
        }
        if (current != null) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static final class Parser {
        final Map<Option, Setting> settings = new EnumMap<>(Option.class);
        final List<String> classPath = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int argfileDepth;

        /** @return false once the main class or jar was reached */
        boolean options(List<String> tokens, String source, boolean commandLine) {
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (commandLine && t.startsWith("@") && t.length() > 1 && argfileDepth == 0) {
                    argfileDepth++;
                    boolean more = options(readArgfile(t.substring(1)), source + " " + t, true);
                    argfileDepth--;
                    if (!more) {
                        return false;
                    }
                    continue;
                }
                if (t.equals("-jar") || t.equals("-cp") || t.equals("-classpath") || t.equals("--class-path")) {
                    if (i + 1 < tokens.size()) {
                        String value = tokens.get(++i);
                        if (t.equals("-jar")) {
                            classPath.add(value);
                            return false;
                        }
                        classPath.addAll(List.of(value.split(java.io.File.pathSeparator)));
                    }
                    continue;
                }
                if (t.equals("-m") || t.equals("--module") || (commandLine && !t.startsWith("-"))) {
                    return false;
                }
                if (t.equals("-p") || t.equals("--module-path") || t.equals("--add-opens")
                        || t.equals("--add-exports") || t.equals("--add-modules") || t.equals("--add-reads")) {
                    i++;
                    continue;
                }
                option(t, source);
            }
            return true;
        }

        private List<String> readArgfile(String file) {
            try {
                return tokenize(Files.readString(Path.of(file), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                problems.add("@" + file + ": cannot read (" + e.getMessage() + ")");
                return List.of();
            }
        }

        private void option(String t, String source) {
            if (t.startsWith("-Xmx")) {
                size(Option.MAX_HEAP, t, t.substring(4), source);
            } else if (t.startsWith("-XX:MaxHeapSize=")) {
                size(Option.MAX_HEAP, t, after(t), source);
            } else if (t.startsWith("-Xms")) {
                size(Option.INITIAL_HEAP, t, t.substring(4), source);
            } else if (t.startsWith("-XX:InitialHeapSize=")) {
                size(Option.INITIAL_HEAP, t, after(t), source);
            } else if (t.startsWith("-XX:MaxRAMPercentage=")) {
                try {
                    double pct = Double.parseDouble(after(t));
                    settings.put(Option.RAM_PERCENTAGE, new Setting(t, source, pct));
                } catch (NumberFormatException e) {
                    problems.add(source + ": " + t + " is not a percentage");
                }
            } else if (t.startsWith("-Xss")) {
                size(Option.STACK_SIZE, t, t.substring(4), source);
            } else if (t.startsWith("-XX:ThreadStackSize=")) {
                // in KiB, unlike -Xss
                size(Option.STACK_SIZE, t, after(t) + "k", source);
            } else if (t.startsWith("-XX:MaxMetaspaceSize=")) {
                size(Option.METASPACE, t, after(t), source);
            } else if (t.startsWith("-XX:ReservedCodeCacheSize=")) {
                size(Option.CODE_CACHE, t, after(t), source);
            } else if (t.startsWith("-XX:MaxDirectMemorySize=")) {
                size(Option.DIRECT_MEMORY, t, after(t), source);
            } else if (t.matches("-XX:\\+Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon|ConcMarkSweep)GC")) {
                settings.put(Option.COLLECTOR, new Setting(t, source,
                        t.substring("-XX:+Use".length(), t.length() - 2).toLowerCase(Locale.ROOT)));
            } else if (t.matches("-XX:[+-](ExitOn|CrashOn)OutOfMemoryError")) {
                settings.put(Option.EXIT_ON_OOM, new Setting(t, source, t.charAt(4) == '+'));
            } else if (t.matches("-XX:[+-]HeapDumpOnOutOfMemoryError")) {
                settings.put(Option.HEAP_DUMP, new Setting(t, source, t.charAt(4) == '+'));
            } else if (t.startsWith("-XX:HeapDumpPath=")) {
                settings.put(Option.HEAP_DUMP_PATH, new Setting(t, source, after(t)));
            } else if (t.startsWith("-Xlog:gc") || t.startsWith("-Xloggc:") || t.equals("-verbose:gc")
                    || t.startsWith("-Xlog:disable")) {
                settings.put(Option.GC_LOG, new Setting(t, source, null));
            } else if (t.startsWith("-XX:ActiveProcessorCount=")) {
                settings.put(Option.ACTIVE_PROCESSORS, new Setting(t, source, after(t)));
            }
        }

        private void size(Option option, String token, String value, String source) {
            try {
                settings.put(option, new Setting(token, source, Sizes.parseJvm(value)));
            } catch (IllegalArgumentException e) {
                problems.add(source + ": " + token + " is not a size the JVM accepts; left to the JVM to reject");
            }
        }

        private static String after(String token) {
            return token.substring(token.indexOf('=') + 1);
        }
    }
}
