package dev.readiness.bench.gc;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link GcTuningBenchmark}: an allocation-heavy service stand-in. It holds a fixed live set (a
 * cache), then for a fixed time runs "requests" that each allocate a few short-lived buffers and now and then
 * replace a cache entry. Prints {@code key=value} lines: requests per second, the longest GC pause (from GC
 * notifications), the collector, the maximum heap and the peak RSS ({@code VmHWM}). Uses nothing but the JDK.
 * <p>
 * {@code AllocationWorkload <live-set-bytes> <seconds>}
 */
public final class AllocationWorkload {

    public static void main(String[] args) throws Exception {
        long liveBytes = Long.parseLong(args[0]);
        long seconds = Long.parseLong(args[1]);
        AtomicLong longestPauseMs = new AtomicLong();
        List<String> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(gc.getName());
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    if (!info.getGcName().contains("Cycles") && !info.getGcName().contains("Concurrent")) {
                        longestPauseMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                    }
                }
            }, null, null);
        }
        int chunk = 32 * 1024 - 64;
        List<byte[]> cache = new ArrayList<>();
        for (long held = 0; held < liveBytes; held += chunk) {
            cache.add(new byte[chunk]);
        }
        longestPauseMs.set(0); // building the cache is start-up, not steady state
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long requests = 0;
        long sink = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                byte[] request = new byte[512 + random.nextInt(8 * 1024)];
                byte[] response = new byte[1024 + random.nextInt(16 * 1024)];
                StringBuilder log = new StringBuilder(64).append("req ").append(requests).append(' ').append(request.length);
                sink += request[request.length - 1] + response.length + log.length();
                if (random.nextInt(50) == 0) {
                    cache.set(random.nextInt(cache.size()), new byte[chunk]);
                }
                requests++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.println("collectors=" + String.join(",", collectors));
        System.out.println("maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.printf("requestsPerSecond=%.0f%n", requests / elapsed);
        System.out.println("longestPauseMs=" + longestPauseMs.get());
        System.out.println("peakRssMiB=" + vmHwmKib() / 1024);
        System.out.println("sink=" + (sink & 1));
    }

    private static long vmHwmKib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
