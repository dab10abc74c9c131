package dev.readiness.gc;

import dev.readiness.gc.budget.BudgetPolicy;
import dev.readiness.gc.budget.ClassCounter;
import dev.readiness.gc.budget.MemoryBudget;
import dev.readiness.gc.budget.TuningException;
import dev.readiness.gc.cgroup.CgroupReader;
import dev.readiness.gc.cgroup.ContainerLimits;
import dev.readiness.gc.flags.FlagPlan;
import dev.readiness.gc.budget.UserFlags;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * From a container's limits to JVM flags: reads the cgroup, applies the operator's overrides, computes the memory
 * budget and the flag plan. What the CLI and the entrypoint run; usable from code and tests with a recorded root.
 *
 * @param limits   the effective limits (after {@code READINESS_GC_MEMORY_LIMIT} / {@code READINESS_GC_CPU_LIMIT})
 * @param budget   the memory budget, empty when there is no memory limit
 * @param plan     the flags and their reasons
 * @param warnings cgroup files that were missing or garbled, class paths that could not be counted, user options
 *                 that could not be read
 */
public record GcTuning(ContainerLimits limits, Optional<MemoryBudget> budget, FlagPlan plan, List<String> warnings) {

    /**
     * The inputs of a tuning run.
     *
     * @param env         environment variables (policy knobs, {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS})
     * @param commandLine the java command's arguments, to find the user's options and the app's jars
     * @param root        where {@code /proc} and {@code /sys} are read, {@code /} in production
     * @param javaHome    the runtime whose classes are counted
     * @param hostCpus    CPUs visible without a quota
     */
    public record Inputs(Map<String, String> env, List<String> commandLine, Path root, Path javaHome, int hostCpus) {

        /** This process's environment and runtime, reading the real cgroup. */
        public static Inputs current(List<String> commandLine) {
            return new Inputs(System.getenv(), commandLine, Path.of("/"), Path.of(System.getProperty("java.home")),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /** The entrypoint hands over the user's variables under these names, and runs the CLI's JVM without them. */
    public static final String USER_JAVA_TOOL_OPTIONS = "READINESS_GC_USER_JAVA_TOOL_OPTIONS";
    public static final String USER_JDK_JAVA_OPTIONS = "READINESS_GC_USER_JDK_JAVA_OPTIONS";

    /**
     * @throws TuningException for a bad {@code READINESS_GC_*} value, or when the limit cannot hold the JVM
     */
    public static GcTuning compute(Inputs in) {
        BudgetPolicy policy = BudgetPolicy.fromEnv(in.env());
        UserFlags user = UserFlags.parse(userVariable(in.env(), USER_JAVA_TOOL_OPTIONS, "JAVA_TOOL_OPTIONS"),
                userVariable(in.env(), USER_JDK_JAVA_OPTIONS, "JDK_JAVA_OPTIONS"), in.commandLine());
        ContainerLimits limits = CgroupReader.read(in.root());
        if (policy.memoryLimit().isPresent()) {
            limits = limits.withMemoryLimit(policy.memoryLimit().getAsLong(),
                    "READINESS_GC_MEMORY_LIMIT=" + in.env().get("READINESS_GC_MEMORY_LIMIT").trim());
        }
        if (policy.cpuLimit().isPresent()) {
            String name = in.env().containsKey("READINESS_GC_CPU_LIMIT") && !in.env().get("READINESS_GC_CPU_LIMIT").isBlank()
                    ? "READINESS_GC_CPU_LIMIT" : "READINESS_GC_CPU_MILLICORES";
            limits = limits.withCpuLimit(policy.cpuLimit().getAsDouble(), name + "=" + in.env().get(name).trim());
        }
        List<String> warnings = new ArrayList<>(limits.warnings());
        warnings.addAll(user.problems());
        Optional<MemoryBudget> budget = Optional.empty();
        if (limits.memoryLimit().isPresent()) {
            List<Path> appPaths = new ArrayList<>();
            policy.appPath().ifPresentOrElse(p -> {
                for (String s : p.split(":")) {
                    appPaths.add(Path.of(s));
                }
            }, () -> user.classPath().forEach(s -> appPaths.add(Path.of(s))));
            budget = Optional.of(MemoryBudget.compute(limits.memoryLimit().getAsLong(), limits.memorySource(), user,
                    policy, () -> {
                        ClassCounter.Count c = ClassCounter.count(appPaths, in.javaHome());
                        warnings.addAll(c.notes());
                        return c;
                    }));
        }
        FlagPlan plan = FlagPlan.of(budget, limits.memoryLimit().orElse(-1), limits.cpuLimit(), in.hostCpus(), user,
                policy);
        return new GcTuning(limits, budget, plan, warnings);
    }

    private static String userVariable(Map<String, String> env, String handedOver, String real) {
        return env.containsKey(handedOver) ? env.get(handedOver) : env.get(real);
    }

    /** The explanation {@code explain} prints: limits, the budget table, each decision's reason, the flags. */
    public String explain() {
        StringBuilder b = new StringBuilder();
        b.append("readiness gc-tuning\n");
        b.append("container: ").append(limits.version().name().toLowerCase(Locale.ROOT).replace("none", "no cgroup"))
                .append("\n  memory: ").append(limits.memoryLimit().isPresent()
                        ? dev.readiness.gc.budget.Sizes.human(limits.memoryLimit().getAsLong()) + " (" + limits.memorySource() + ")"
                        : "no limit (" + limits.memorySource() + ")")
                .append("\n  cpu:    ").append(limits.cpuLimit().isPresent()
                        ? String.format(Locale.ROOT, "%.2f CPUs (%s)", limits.cpuLimit().getAsDouble(), limits.cpuSource())
                        : "no quota (" + limits.cpuSource() + ")")
                .append('\n');
        budget.ifPresent(bud -> b.append("budget:\n").append(bud.table()));
        b.append("decisions:\n");
        plan.notes().forEach(n -> b.append("  - ").append(n).append('\n'));
        if (!warnings.isEmpty()) {
            b.append("warnings:\n");
            warnings.forEach(w -> b.append("  ! ").append(w).append('\n'));
        }
        b.append("flags:\n  ").append(String.join(" ", plan.flags())).append('\n');
        return b.toString();
    }
}
