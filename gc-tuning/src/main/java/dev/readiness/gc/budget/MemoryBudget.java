package dev.readiness.gc.budget;

import dev.readiness.gc.budget.UserFlags.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a container's memory limit is shared between the JVM's regions: the limit minus headroom, direct memory,
 * metaspace, reserved code cache and thread stacks; the heap is what remains, capped at a share of the limit.
 * Values the user set are taken as they are and counted.
 * <p>
 * Metaspace follows the Paketo memory calculator's estimate: {@value #BYTES_PER_CLASS} bytes per loaded class
 * plus {@code 14 MiB}, with the loaded classes a share ({@code READINESS_GC_CLASS_LOAD_FACTOR}, 0.35) of those
 * counted in the app's jars and the runtime. The reserved code cache is a sixteenth of the limit, between 32 MiB
 * and the JDK's own 240 MiB, so that small containers do not reserve a quarter of their memory for compiled code.
 */
public final class MemoryBudget {

    public static final long BYTES_PER_CLASS = 5800;
    public static final long CLASS_OVERHEAD = 14 * Sizes.MIB;
    public static final long MIN_CODE_CACHE = 32 * Sizes.MIB;
    public static final long MAX_CODE_CACHE = 240 * Sizes.MIB;

    /** One line of the budget. */
    public record Region(String name, long bytes, String reason) {
    }

    private final long limit;
    private final String limitSource;
    private final List<Region> regions;
    private final long heap;
    private final long metaspace;
    private final long codeCache;
    private final long directMemory;
    private final long stackSize;

    private MemoryBudget(long limit, String limitSource, List<Region> regions, long heap, long metaspace,
                         long codeCache, long directMemory, long stackSize) {
        this.limit = limit;
        this.limitSource = limitSource;
        this.regions = List.copyOf(regions);
        this.heap = heap;
        this.metaspace = metaspace;
        this.codeCache = codeCache;
        this.directMemory = directMemory;
        this.stackSize = stackSize;
    }

    /**
     * @param limit   the container's memory limit in bytes
     * @param source  where the limit came from, for the table
     * @param classes counts the classes when neither the user nor the policy gives metaspace or a class count
     * @throws TuningException ({@link TuningException#doesNotFit()}) with the table of regions when the limit
     *                         cannot hold the non-heap regions and a heap of at least the policy's minimum
     */
    public static MemoryBudget compute(long limit, String source, UserFlags user, BudgetPolicy policy,
                                       Supplier<ClassCounter.Count> classes) {
        List<Region> regions = new ArrayList<>();
        long headroom = align(limit * policy.headroomPercent() / 100);
        regions.add(new Region("headroom", headroom, policy.headroomPercent()
                + "% of the limit for native memory the JVM does not cap: GC structures, malloc, the JIT"));

        long direct = sized(user, Option.DIRECT_MEMORY).orElse(policy.directMemory());
        regions.add(new Region("direct memory", direct, reason(user, Option.DIRECT_MEMORY,
                "READINESS_GC_DIRECT_MEMORY (default 10m): NIO buffers outside the heap")));

        long metaspace;
        String metaReason;
        if (user.has(Option.METASPACE)) {
            metaspace = user.bytes(Option.METASPACE).orElseThrow();
            metaReason = reason(user, Option.METASPACE, "");
        } else {
            long loaded;
            String counted;
            if (policy.classCount().isPresent()) {
                loaded = policy.classCount().getAsInt();
                counted = "READINESS_GC_CLASS_COUNT=" + loaded + " classes";
            } else {
                ClassCounter.Count c = classes.get();
                loaded = (long) Math.ceil(c.total() * policy.classLoadFactor());
                counted = String.format(Locale.ROOT, "%,d classes (%.0f%% of %,d counted: %,d app + %,d runtime)",
                        loaded, policy.classLoadFactor() * 100, c.total(), c.appClasses(), c.runtimeClasses());
            }
            metaspace = alignUp(loaded * BYTES_PER_CLASS + CLASS_OVERHEAD);
            metaReason = counted + " x " + BYTES_PER_CLASS + " B + 14 MiB";
        }
        regions.add(new Region("metaspace", metaspace, metaReason));

        long codeCache = sized(user, Option.CODE_CACHE)
                .orElse(Math.max(MIN_CODE_CACHE, Math.min(MAX_CODE_CACHE, align(limit / 16))));
        regions.add(new Region("code cache", codeCache, reason(user, Option.CODE_CACHE,
                "a sixteenth of the limit, between 32 MiB and the JDK's 240 MiB")));

        long stack = sized(user, Option.STACK_SIZE).orElse(policy.stackSize());
        long stacks = stack * policy.threadCount();
        regions.add(new Region("thread stacks", stacks, policy.threadCount() + " threads (READINESS_GC_THREAD_COUNT) x "
                + Sizes.human(stack) + (user.has(Option.STACK_SIZE) ? " " + reason(user, Option.STACK_SIZE, "")
                : " (READINESS_GC_STACK_SIZE)")));

        long nonHeap = headroom + direct + metaspace + codeCache + stacks;
        long remaining = limit - nonHeap;
        long heap;
        String heapReason;
        if (user.has(Option.MAX_HEAP)) {
            heap = user.bytes(Option.MAX_HEAP).orElseThrow();
            heapReason = reason(user, Option.MAX_HEAP, "");
        } else if (user.has(Option.RAM_PERCENTAGE)) {
            double pct = (Double) user.get(Option.RAM_PERCENTAGE).orElseThrow().value();
            heap = align((long) (limit * pct / 100));
            heapReason = reason(user, Option.RAM_PERCENTAGE, "");
        } else {
            long cap = align(limit * policy.maxHeapPercent() / 100);
            heap = Math.max(0, Math.min(align(remaining), cap));
            heapReason = remaining <= 0 ? "nothing remains: " + Sizes.human(-remaining) + " short"
                    : heap == cap && cap < align(remaining)
                    ? "capped at " + policy.maxHeapPercent() + "% of the limit (READINESS_GC_MAX_HEAP_PERCENT)"
                    : "what remains";
        }
        regions.add(new Region("heap", heap, heapReason));
        MemoryBudget budget = new MemoryBudget(limit, source, regions, heap, metaspace, codeCache, direct, stack);
        boolean userHeap = user.has(Option.MAX_HEAP) || user.has(Option.RAM_PERCENTAGE);
        if (userHeap ? heap + nonHeap > limit : heap < policy.minHeap()) {
            String why = userHeap
                    ? "the heap you set and the other regions need " + Sizes.human(heap + nonHeap) + ", more than the "
                    + Sizes.human(limit) + " limit; the container would be OOM-killed under load"
                    : "the regions besides the heap leave " + Sizes.human(Math.max(0, remaining))
                    + " for the heap, less than the minimum of " + Sizes.human(policy.minHeap())
                    + " (READINESS_GC_MIN_HEAP)";
            throw new TuningException("the memory limit cannot hold this JVM: " + why + "\n" + budget.table()
                    + "raise the container's memory limit, or lower a region (READINESS_GC_THREAD_COUNT, "
                    + "READINESS_GC_HEADROOM_PERCENT, -XX:MaxMetaspaceSize=..., -XX:ReservedCodeCacheSize=...)", true);
        }
        return budget;
    }

    private static Optional<Long> sized(UserFlags user, Option option) {
        return user.bytes(option);
    }

    private static String reason(UserFlags user, Option option, String otherwise) {
        return user.get(option).map(s -> "set by you: " + s.token() + " in " + s.source()).orElse(otherwise);
    }

    /** Down to a whole MiB, so flags read well and never round up past the limit. */
    static long align(long bytes) {
        return bytes / Sizes.MIB * Sizes.MIB;
    }

    static long alignUp(long bytes) {
        return (bytes + Sizes.MIB - 1) / Sizes.MIB * Sizes.MIB;
    }

    /** The budget as a table, one region a line with its reason. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  %-15s %10s  %s%n", "memory limit", Sizes.human(limit), limitSource));
        long used = 0;
        for (Region r : regions) {
            b.append(String.format(Locale.ROOT, "  %-15s %10s  %s%n", r.name(), Sizes.human(r.bytes()), r.reason()));
            used += r.bytes();
        }
        b.append(String.format(Locale.ROOT, "  %-15s %10s  %s%n", "total", Sizes.human(used),
                String.format(Locale.ROOT, "%.0f%% of the limit", used * 100.0 / limit)));
        return b.toString();
    }

    public long limit() {
        return limit;
    }

    public List<Region> regions() {
        return regions;
    }

    public long heap() {
        return heap;
    }

    public long metaspace() {
        return metaspace;
    }

    public long codeCache() {
        return codeCache;
    }

    public long directMemory() {
        return directMemory;
    }

    public long stackSize() {
        return stackSize;
    }
}
