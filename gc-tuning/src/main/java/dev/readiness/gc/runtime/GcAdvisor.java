package dev.readiness.gc.runtime;

import dev.readiness.gc.budget.Sizes;
import dev.readiness.gc.cgroup.CgroupReader;
import dev.readiness.gc.cgroup.ContainerLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Says at start what in the running JVM disagrees with its container: SerialGC on 2+ CPUs, a heap above 90% of the
 * memory limit, no {@code ExitOnOutOfMemoryError}, a stop-the-world old-generation collector on a large heap.
 * It only reads and logs; changing a running JVM's collector or heap is not possible.
 */
public final class GcAdvisor {

    private static final Logger LOG = LoggerFactory.getLogger(GcAdvisor.class);

    /** A heap above this share of the limit leaves no room for the JVM's other regions. */
    public static final double HEAP_LIMIT_SHARE = 0.90;
    /** From this heap size on, a full stop-the-world collection takes seconds. */
    public static final long LARGE_HEAP = 4 * Sizes.GIB;

    /** The collector families the advisor tells apart, from the GC MXBean names. */
    public enum Collector { SERIAL, PARALLEL, CMS, G1, Z, SHENANDOAH, OTHER }

    /**
     * What the advisor looks at.
     *
     * @param collector   the running collector
     * @param maxHeap     the heap's maximum in bytes, -1 when undefined
     * @param processors  what {@link Runtime#availableProcessors()} reports
     * @param exitOnOom   whether {@code ExitOnOutOfMemoryError} or {@code CrashOnOutOfMemoryError} is on
     * @param memoryLimit the container's memory limit, when there is one
     */
    public record JvmFacts(Collector collector, long maxHeap, int processors, boolean exitOnOom,
                           OptionalLong memoryLimit) {

        /** The running JVM in its container. */
        public static JvmFacts current(ContainerLimits limits) {
            List<String> names = new ArrayList<>();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                names.add(gc.getName());
            }
            return new JvmFacts(collectorOf(names), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax(),
                    Runtime.getRuntime().availableProcessors(),
                    vmOption("ExitOnOutOfMemoryError") || vmOption("CrashOnOutOfMemoryError"), limits.memoryLimit());
        }
    }

    /**
     * One disagreement.
     *
     * @param code    stable identifier: {@code serial-on-multicore}, {@code heap-near-limit}, {@code no-exit-on-oom},
     *                {@code old-collector-large-heap}
     * @param message what is wrong and what to do
     */
    public record Advice(String code, String message) {
    }

    private GcAdvisor() {
    }

    /** The collector family from the GC MXBean names. */
    public static Collector collectorOf(List<String> beanNames) {
        for (String n : beanNames) {
            if (n.equals("Copy") || n.equals("MarkSweepCompact")) {
                return Collector.SERIAL;
            }
            if (n.startsWith("PS ")) {
                return Collector.PARALLEL;
            }
            if (n.equals("ParNew") || n.equals("ConcurrentMarkSweep")) {
                return Collector.CMS;
            }
            if (n.startsWith("G1 ")) {
                return Collector.G1;
            }
            if (n.startsWith("ZGC")) {
                return Collector.Z;
            }
            if (n.startsWith("Shenandoah")) {
                return Collector.SHENANDOAH;
            }
        }
        return Collector.OTHER;
    }

    /** Pure logic: the disagreements in {@code facts}. */
    public static List<Advice> advise(JvmFacts f) {
        List<Advice> advice = new ArrayList<>();
        if (f.collector() == Collector.SERIAL && f.processors() >= 2) {
            advice.add(new Advice("serial-on-multicore", "SerialGC runs on " + f.processors() + " CPUs: every "
                    + "collection stops the application on one thread; the JDK picks it under 1792 MB. Start with "
                    + "-XX:+UseG1GC (the readiness-gc entrypoint does)"));
        }
        if (f.memoryLimit().isPresent() && f.maxHeap() > 0
                && f.maxHeap() > HEAP_LIMIT_SHARE * f.memoryLimit().getAsLong()) {
            long limit = f.memoryLimit().getAsLong();
            advice.add(new Advice("heap-near-limit", String.format(Locale.ROOT, "the maximum heap (%s) is %.0f%% of "
                            + "the container's memory limit (%s): metaspace, thread stacks, code cache and native memory "
                            + "do not fit beside it, and the container will be OOM-killed under load. Size it with the "
                            + "readiness-gc budget (java -jar readiness-gc-tuning.jar explain)",
                    Sizes.human(f.maxHeap()), f.maxHeap() * 100.0 / limit, Sizes.human(limit))));
        }
        if (!f.exitOnOom()) {
            advice.add(new Advice("no-exit-on-oom", "-XX:+ExitOnOutOfMemoryError is not set: after an "
                    + "OutOfMemoryError the JVM keeps running with threads that died half-way; exiting lets Kubernetes "
                    + "restart the pod"));
        }
        boolean stopTheWorldOld = f.collector() == Collector.SERIAL || f.collector() == Collector.PARALLEL
                || f.collector() == Collector.CMS;
        if (stopTheWorldOld && f.maxHeap() >= LARGE_HEAP) {
            advice.add(new Advice("old-collector-large-heap", f.collector().name() + " on a " + Sizes.human(f.maxHeap())
                    + " heap: its full collections stop the application for seconds, longer than a liveness probe's "
                    + "timeout. Use -XX:+UseG1GC, or ZGC for pauses under a millisecond"));
        }
        return advice;
    }

    /**
     * Reads the container and the running JVM, and logs each disagreement as a warning (or one info line when
     * there is none).
     *
     * @return what was logged
     */
    public static List<Advice> logAtStart() {
        ContainerLimits limits = CgroupReader.read();
        limits.warnings().forEach(w -> LOG.warn("readiness gc: cgroup: {}", w));
        List<Advice> advice = advise(JvmFacts.current(limits));
        if (advice.isEmpty()) {
            LOG.info("readiness gc: the JVM agrees with its container ({})", limits.memorySource());
        }
        advice.forEach(a -> LOG.warn("readiness gc [{}]: {}", a.code(), a.message()));
        return advice;
    }

    private static boolean vmOption(String name) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs != null && Boolean.parseBoolean(hs.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot: the option does not exist there
        }
    }
}
