package dev.readiness.containers;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run inside a container (JDK only, from the mounted test classes): reports what the JVM sees of its container,
 * then holds a live set and allocates short-lived garbage for a while, the way a busy service does.
 * <p>
 * {@code Allocate <live-set-percent-of-max-heap> <seconds>}; prints {@code key=value} lines and {@code done} last.
 */
public final class Allocate {

    public static void main(String[] args) {
        int livePercent = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        List<String> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(gc.getName());
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.println("collectors=" + String.join(",", collectors));
        System.out.println("maxHeapMiB=" + maxHeap / (1024 * 1024));
        System.out.println("totalMemoryMiB=" + os.getTotalMemorySize() / (1024 * 1024));
        System.out.println("processors=" + Runtime.getRuntime().availableProcessors());
        System.out.flush();

        int chunk = 32 * 1024 - 64;
        List<byte[]> live = new ArrayList<>();
        for (long held = 0; held < maxHeap / 100 * livePercent; held += chunk) {
            live.add(new byte[chunk]);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long requests = 0;
        long sink = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                byte[] request = new byte[512 + random.nextInt(8 * 1024)];
                byte[] response = new byte[1024 + random.nextInt(64 * 1024)];
                sink += request[request.length - 1] + response.length;
                if (random.nextInt(20) == 0) {
                    live.set(random.nextInt(live.size()), new byte[chunk]);
                }
                requests++;
            }
        }
        System.out.println("requests=" + requests);
        System.out.println("sink=" + (sink & 1));
        System.out.println("done");
    }
}
