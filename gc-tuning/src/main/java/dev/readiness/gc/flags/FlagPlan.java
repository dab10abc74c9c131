package dev.readiness.gc.flags;

import dev.readiness.gc.budget.BudgetPolicy;
import dev.readiness.gc.budget.MemoryBudget;
import dev.readiness.gc.budget.Sizes;
import dev.readiness.gc.budget.UserFlags;
import dev.readiness.gc.budget.UserFlags.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JVM options for a container, each with its reason. Options the user set are never emitted: theirs win.
 * <p>
 * Collector policy: G1, stated explicitly, unless the container is truly tiny (less than one CPU of quota, or a
 * heap under 128 MiB), where SerialGC's single thread and small footprint serve better. The JDK itself picks
 * SerialGC whenever it sees fewer than 2 CPUs or less than 1792 MB, which covers most pods.
 *
 * @param flags the options, in order
 * @param notes one reason per decision (shown by {@code explain})
 */
public record FlagPlan(List<String> flags, List<String> notes) {

    /** Heaps below this stay on SerialGC: G1's regions and remembered sets cost more than they save. */
    public static final long TINY_HEAP = 128 * Sizes.MIB;
    /** The JDK's "server class machine" threshold (2 GB - 256 MB). */
    public static final long SERVER_CLASS_MEMORY = 1792L * 1000 * 1000;

    public FlagPlan {
        flags = List.copyOf(flags);
        notes = List.copyOf(notes);
    }

    /**
     * @param budget   the memory budget, empty when there is no memory limit (memory flags are then left to the JDK)
     * @param memory   the memory limit, for the collector decision, or -1
     * @param cpus     the CPU quota, when there is one
     * @param hostCpus CPUs visible to the process without a quota
     */
    public static FlagPlan of(Optional<MemoryBudget> budget, long memory, OptionalDouble cpus, int hostCpus,
                              UserFlags user, BudgetPolicy policy) {
        List<String> flags = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (budget.isPresent()) {
            MemoryBudget b = budget.get();
            if (user.has(Option.RAM_PERCENTAGE) && !user.has(Option.MAX_HEAP)) {
                notes.add("heap: " + setBy(user, Option.RAM_PERCENTAGE));
            } else {
                emit(flags, notes, user, Option.MAX_HEAP, "-Xmx" + Sizes.jvm(b.heap()),
                        "heap: " + Sizes.human(b.heap()) + " from the budget");
            }
            if (policy.initialHeapEqualsMax()) {
                if (!user.has(Option.MAX_HEAP) && !user.has(Option.RAM_PERCENTAGE)) {
                    emit(flags, notes, user, Option.INITIAL_HEAP, "-Xms" + Sizes.jvm(b.heap()),
                            "initial heap = maximum (READINESS_GC_XMS=max): the pod's footprint is known from the "
                                    + "start, so a budget that does not fit shows in the first load test, not at 3am");
                } else {
                    notes.add("initial heap: not set, because you sized the heap yourself");
                }
            } else {
                notes.add("initial heap: left to the JDK (READINESS_GC_XMS=none)");
            }
            emit(flags, notes, user, Option.STACK_SIZE, "-Xss" + Sizes.jvm(b.stackSize()),
                    "thread stack size: as budgeted");
            emit(flags, notes, user, Option.METASPACE, "-XX:MaxMetaspaceSize=" + Sizes.jvm(b.metaspace()),
                    "metaspace: capped at the budget, so a class leak is an OutOfMemoryError, not an OOM kill");
            emit(flags, notes, user, Option.CODE_CACHE, "-XX:ReservedCodeCacheSize=" + Sizes.jvm(b.codeCache()),
                    "code cache: as budgeted");
            emit(flags, notes, user, Option.DIRECT_MEMORY, "-XX:MaxDirectMemorySize=" + Sizes.jvm(b.directMemory()),
                    "direct memory: capped at the budget (by default the JDK allows as much as the heap)");
        } else {
            notes.add("memory: no container memory limit found, so heap and regions are left to the JDK");
        }
        collector(flags, notes, budget, memory, cpus, hostCpus, user);
        if (cpus.isPresent() && !user.has(Option.ACTIVE_PROCESSORS)) {
            double q = cpus.getAsDouble();
            if (Math.abs(q - Math.rint(q)) > 1e-6) {
                long n = Math.max(1, Math.round(q));
                flags.add("-XX:ActiveProcessorCount=" + n);
                notes.add(n == (long) Math.ceil(q)
                        ? String.format(Locale.ROOT, "processors: %d for a quota of %s CPUs, stated so GC and compiler "
                        + "threads follow the quota even where the JDK does not read the cgroup", n, trim(q))
                        : String.format(Locale.ROOT, "processors: %d for a quota of %s CPUs; the JDK rounds up to %d, "
                        + "and GC and compiler threads sized for more CPUs than the quota get throttled",
                        n, trim(q), (long) Math.ceil(q)));
            }
        } else if (user.has(Option.ACTIVE_PROCESSORS)) {
            notes.add("processors: " + setBy(user, Option.ACTIVE_PROCESSORS));
        }
        emit(flags, notes, user, Option.EXIT_ON_OOM, "-XX:+ExitOnOutOfMemoryError",
                "out of memory: exit, so Kubernetes restarts the pod instead of leaving a half-broken JVM serving");
        if (policy.heapDumpDir().isPresent()) {
            emit(flags, notes, user, Option.HEAP_DUMP, "-XX:+HeapDumpOnOutOfMemoryError",
                    "heap dump on OutOfMemoryError into " + policy.heapDumpDir().get());
            if (!user.has(Option.HEAP_DUMP_PATH) && !user.has(Option.HEAP_DUMP)) {
                flags.add("-XX:HeapDumpPath=" + policy.heapDumpDir().get());
            }
        } else if (!user.has(Option.HEAP_DUMP)) {
            notes.add("heap dump: off; set READINESS_GC_HEAP_DUMP_DIR to a volume that outlives the container "
                    + "(a dump in the container's own file system is lost with it, and on tmpfs counts as memory)");
        }
        if (policy.gcLogDir().isPresent()) {
            emit(flags, notes, user, Option.GC_LOG, "-Xlog:gc*:file=" + policy.gcLogDir().get()
                            + "/gc.log:time,uptime,level,tags:filecount=5,filesize=10m",
                    "GC log: rotating, 5 files of 10 MiB in " + policy.gcLogDir().get() + " (READINESS_GC_LOG_DIR)");
        } else {
            notes.add("GC log: off (READINESS_GC_LOG_DIR=off)");
        }
        return new FlagPlan(flags, notes);
    }

    private static void collector(List<String> flags, List<String> notes, Optional<MemoryBudget> budget, long memory,
                                  OptionalDouble cpus, int hostCpus, UserFlags user) {
        if (user.has(Option.COLLECTOR)) {
            notes.add("collector: " + setBy(user, Option.COLLECTOR));
            return;
        }
        double cpu = cpus.orElse(hostCpus);
        Optional<Long> heap = budget.map(MemoryBudget::heap);
        if (cpu < 1.0) {
            flags.add("-XX:+UseSerialGC");
            notes.add("collector: SerialGC, because the quota is less than one CPU (" + trim(cpu)
                    + "): G1's concurrent threads would compete with the application for it");
            return;
        }
        if (heap.isPresent() && heap.get() < TINY_HEAP) {
            flags.add("-XX:+UseSerialGC");
            notes.add("collector: SerialGC, because the heap (" + Sizes.human(heap.get())
                    + ") is under 128 MiB: G1's regions and remembered sets would cost more than they save");
            return;
        }
        flags.add("-XX:+UseG1GC");
        long jdkCpus = (long) Math.ceil(cpu);
        boolean jdkSerial = jdkCpus < 2 || (memory > 0 && memory < SERVER_CLASS_MEMORY);
        notes.add(jdkSerial
                ? "collector: G1; the JDK would pick SerialGC here (" + jdkCpus + " CPU(s), "
                + (memory > 0 ? Sizes.human(memory) : "no memory limit") + "): it wants 2+ CPUs and 1792+ MB, and "
                + "SerialGC stops every thread for each old-generation collection"
                : "collector: G1, as the JDK would pick; stated so the choice does not depend on how the JDK reads "
                + "the cgroup");
    }

    private static void emit(List<String> flags, List<String> notes, UserFlags user, Option option, String flag,
                             String why) {
        if (user.has(option)) {
            notes.add(why.substring(0, why.indexOf(':') + 1) + " " + setBy(user, option));
        } else {
            flags.add(flag);
            notes.add(why);
        }
    }

    private static String setBy(UserFlags user, Option option) {
        UserFlags.Setting s = user.get(option).orElseThrow();
        return "set by you (" + s.token() + " in " + s.source() + "), kept";
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d).replaceAll("0+$", "");
    }
}
