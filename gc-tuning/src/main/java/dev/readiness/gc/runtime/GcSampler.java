package dev.readiness.gc.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Reads the JVM's cumulative GC figures. A one-method SPI so tests drive the GC-pressure check with made-up
 * figures.
 */
@FunctionalInterface
public interface GcSampler {

    /**
     * One reading.
     *
     * @param pauseMillis    cumulative time spent in stop-the-world collections
     * @param collections    cumulative number of collections
     * @param heapAfterGc    heap in use after the latest collection as a share of the maximum heap, 0..1, or NaN
     *                       when unknown
     */
    record Sample(long pauseMillis, long collections, double heapAfterGc) {
    }

    Sample sample();

    /**
     * From the platform MXBeans: {@link GarbageCollectorMXBean} times and counts (without the beans that time
     * concurrent cycles, such as "ZGC Cycles" and "G1 Concurrent GC", which do not stop the application) and the
     * heap pools' collection usage.
     */
    static GcSampler platform() {
        return () -> {
            long time = 0;
            long count = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                String name = gc.getName();
                if (name.contains("Cycles") || name.contains("Concurrent")) {
                    continue;
                }
                time += Math.max(0, gc.getCollectionTime());
                count += Math.max(0, gc.getCollectionCount());
            }
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (after != null) {
                    used += after.getUsed();
                }
            }
            long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
            return new Sample(time, count, max > 0 ? (double) used / max : Double.NaN);
        };
    }
}
