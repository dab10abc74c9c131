package dev.readiness.gc.budget;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The knobs of the budget and the flags, read from environment variables (the CLI must start without a config
 * library). Every value is validated here; a bad one fails with the variable's name, its value and what is
 * allowed.
 *
 * @param headroomPercent   {@code READINESS_GC_HEADROOM_PERCENT}, default 10: share of the limit kept for native
 *                          memory the JVM does not cap (GC data structures, malloc, the JIT's own memory), 0..50
 * @param maxHeapPercent    {@code READINESS_GC_MAX_HEAP_PERCENT}, default 80: the heap never exceeds this share
 *                          of the limit (matters in large containers), 10..95
 * @param minHeap           {@code READINESS_GC_MIN_HEAP}, default 32m: a smaller heap is a "does not fit" error
 * @param threadCount       {@code READINESS_GC_THREAD_COUNT}, default 100: threads budgeted for stacks
 * @param stackSize         {@code READINESS_GC_STACK_SIZE}, default 1m (the JDK's default on x64 and aarch64)
 * @param directMemory      {@code READINESS_GC_DIRECT_MEMORY}, default 10m
 * @param classCount        {@code READINESS_GC_CLASS_COUNT}: classes the app loads; when unset, counted
 * @param classLoadFactor   {@code READINESS_GC_CLASS_LOAD_FACTOR}, default 0.35: share of counted classes loaded
 * @param appPath           {@code READINESS_GC_APP_PATH}: jars and directories to count, ':'-separated; by default
 *                          those of the java command's {@code -jar} or {@code -cp}
 * @param initialHeapEqualsMax {@code READINESS_GC_XMS}: {@code max} (default, -Xms = -Xmx) or {@code none}
 * @param gcLogDir          {@code READINESS_GC_LOG_DIR}, default /tmp; {@code off} for no GC log file
 * @param heapDumpDir       {@code READINESS_GC_HEAP_DUMP_DIR}: heap dump on OOM into this directory; unset = none
 * @param memoryLimit       {@code READINESS_GC_MEMORY_LIMIT}: a quantity ({@code 512Mi}) that replaces the cgroup's
 * @param cpuLimit          {@code READINESS_GC_CPU_LIMIT}: CPUs ({@code 1.5}, {@code 1500m}) that replace the
 *                          cgroup's quota; or {@code READINESS_GC_CPU_MILLICORES} ({@code 1500}), as the Downward
 *                          API writes {@code limits.cpu} with {@code divisor: 1m}
 */
public record BudgetPolicy(int headroomPercent, int maxHeapPercent, long minHeap, int threadCount, long stackSize,
                           long directMemory, OptionalInt classCount, double classLoadFactor, Optional<String> appPath,
                           boolean initialHeapEqualsMax, Optional<String> gcLogDir, Optional<String> heapDumpDir,
                           OptionalLong memoryLimit, OptionalDouble cpuLimit) {

    public static final String PREFIX = "READINESS_GC_";

    /** The defaults, as if no variable were set. */
    public static BudgetPolicy defaults() {
        return fromEnv(Map.of());
    }

    /**
     * @throws TuningException naming the variable, its value and what is allowed
     */
    public static BudgetPolicy fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        String xms = e.text("XMS").orElse("max").toLowerCase(Locale.ROOT);
        if (!xms.equals("max") && !xms.equals("none")) {
            throw TuningException.setting(PREFIX + "XMS", xms, "max (-Xms = -Xmx) or none (no -Xms)");
        }
        String logDir = e.text("LOG_DIR").orElse("/tmp");
        return new BudgetPolicy(
                e.integer("HEADROOM_PERCENT", 10, 0, 50),
                e.integer("MAX_HEAP_PERCENT", 80, 10, 95),
                e.size("MIN_HEAP", 32 * Sizes.MIB),
                e.integer("THREAD_COUNT", 100, 1, 100_000),
                e.size("STACK_SIZE", Sizes.MIB),
                e.size("DIRECT_MEMORY", 10 * Sizes.MIB),
                e.text("CLASS_COUNT").isPresent() ? OptionalInt.of(e.integer("CLASS_COUNT", 0, 1, 10_000_000))
                        : OptionalInt.empty(),
                e.fraction("CLASS_LOAD_FACTOR", 0.35),
                e.text("APP_PATH"),
                xms.equals("max"),
                logDir.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(e.path("LOG_DIR", logDir)),
                e.text("HEAP_DUMP_DIR").map(v -> e.path("HEAP_DUMP_DIR", v)),
                e.quantity("MEMORY_LIMIT"),
                cpuLimit(e));
    }

    /** {@code READINESS_GC_CPU_LIMIT}, or {@code READINESS_GC_CPU_MILLICORES} as the Downward API gives it. */
    private static OptionalDouble cpuLimit(Env e) {
        OptionalDouble cpus = e.cpus("CPU_LIMIT");
        if (e.text("CPU_MILLICORES").isEmpty()) {
            return cpus;
        }
        if (cpus.isPresent()) {
            throw TuningException.setting(PREFIX + "CPU_MILLICORES", e.text("CPU_MILLICORES").get(),
                    "not together with " + PREFIX + "CPU_LIMIT; set one of them");
        }
        return OptionalDouble.of(e.integer("CPU_MILLICORES", 0, 1, 100_000_000) / 1000.0);
    }

    private record Env(Map<String, String> env) {

        Optional<String> text(String name) {
            String v = env.get(PREFIX + name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        int integer(String name, int def, int min, int max) {
            Optional<String> v = text(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                int n = Integer.parseInt(v.get());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw TuningException.setting(PREFIX + name, v.get(), "a whole number from " + min + " to " + max);
        }

        double fraction(String name, double def) {
            Optional<String> v = text(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                double d = Double.parseDouble(v.get());
                if (d > 0 && d <= 1) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw TuningException.setting(PREFIX + name, v.get(), "a fraction above 0 and at most 1, such as 0.35");
        }

        long size(String name, long def) {
            Optional<String> v = text(name);
            if (v.isEmpty()) {
                return def;
            }
            try {
                long bytes = Sizes.parseJvm(v.get());
                if (bytes > 0) {
                    return bytes;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw TuningException.setting(PREFIX + name, v.get(), "a positive JVM size such as 512k, 10m or 1g");
        }

        OptionalLong quantity(String name) {
            Optional<String> v = text(name);
            if (v.isEmpty()) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Sizes.parseQuantity(v.get()));
            } catch (IllegalArgumentException e) {
                throw TuningException.setting(PREFIX + name, v.get(),
                        "a memory quantity such as 512Mi, 1Gi or 1500M (as in a pod's resources.limits.memory)");
            }
        }

        OptionalDouble cpus(String name) {
            Optional<String> v = text(name);
            if (v.isEmpty()) {
                return OptionalDouble.empty();
            }
            String s = v.get();
            try {
                double cpus = s.endsWith("m") ? Long.parseLong(s.substring(0, s.length() - 1)) / 1000.0
                        : Double.parseDouble(s);
                if (cpus > 0 && cpus <= 100_000 && !Double.isNaN(cpus)) {
                    return OptionalDouble.of(cpus);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw TuningException.setting(PREFIX + name, s, "CPUs such as 1.5 or 1500m (as in resources.limits.cpu)");
        }

        /** Paths end up in flags and in sh word splitting: no white space, no commas (-Xlog uses them). */
        String path(String name, String value) {
            if (!value.startsWith("/") || value.matches(".*[\\s,:=\"'].*")) {
                throw TuningException.setting(PREFIX + name, value,
                        "an absolute path without spaces, commas, colons, '=' or quotes");
            }
            return value;
        }
    }
}
