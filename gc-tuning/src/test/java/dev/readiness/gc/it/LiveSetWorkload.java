package dev.readiness.gc.it;

import dev.readiness.core.check.CheckResult;
import dev.readiness.gc.runtime.GcAdvisor;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcPressureSettings;
import dev.readiness.gc.runtime.GcSampler;
import dev.readiness.core.time.Ticker;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The child JVM of the cgroup tests: reports how it was started, holds a live set (a share of its maximum heap, or
 * a number of bytes), churns garbage around it for a few seconds while a GC-pressure check with a 2 s window runs,
 * and reports what it saw, one {@code key=value} a line.
 * <p>
 * {@code LiveSetWorkload <share-of-max-heap|bytes> <seconds>}
 */
public final class LiveSetWorkload {

    public static void main(String[] args) throws Exception {
        long max = Runtime.getRuntime().maxMemory();
        long live = args[0].contains(".") ? (long) (max * Double.parseDouble(args[0])) : Long.parseLong(args[0]);
        int seconds = Integer.parseInt(args[1]);
        List<String> gcNames = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("collector=" + GcAdvisor.collectorOf(gcNames));
        System.out.println("maxHeap=" + max);
        System.out.println("maxHeapSize=" + ManagementFactory.getPlatformMXBean(
                com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapSize").getValue());
        System.out.println("containerMemory=" + os.getTotalMemorySize());
        System.out.println("processors=" + Runtime.getRuntime().availableProcessors());
        System.out.println("inputArgs=" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("advice=" + GcAdvisor.advise(new GcAdvisor.JvmFacts(GcAdvisor.collectorOf(gcNames), max,
                        Runtime.getRuntime().availableProcessors(), exitOnOom(), java.util.OptionalLong.of(os.getTotalMemorySize())))
                .stream().map(GcAdvisor.Advice::code).collect(Collectors.joining(",")));
        System.out.println("liveSet=" + live);
        System.out.flush();

        GcPressureCheck check = new GcPressureCheck(new GcPressureSettings(Duration.ofSeconds(2), 50, 95),
                GcSampler.platform(), Ticker.system());
        List<byte[]> liveSet = new ArrayList<>();
        // just under 32 KiB, so arrays pack G1 regions without a gap (an array a byte over a power of two wastes
        // most of a slot, and the live set would look larger to the collector than it is)
        int chunk = 32 * 1024 - 64;
        for (long held = 0; held < live; held += chunk) {
            liveSet.add(new byte[chunk]);
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long nextCheck = System.nanoTime();
        int downs = 0;
        String downMessage = "";
        long allocated = 0;
        int i = 0;
        byte[][] young = new byte[64][];
        while (System.nanoTime() < end) {
            young[i % young.length] = new byte[16 * 1024];
            allocated += 16 * 1024;
            if (++i % 128 == 0) {
                // replace a live chunk now and then (a service's caches and sessions turn over slowly): some
                // old-generation garbage, not only young
                liveSet.set((i / 128) % liveSet.size(), new byte[chunk]);
                allocated += chunk;
            }
            if (System.nanoTime() >= nextCheck) {
                CheckResult r = check.check();
                if (!r.isUp()) {
                    downs++;
                    downMessage = r.message();
                }
                nextCheck = System.nanoTime() + 250_000_000L;
            }
        }
        CheckResult last = check.check();
        System.out.println("allocatedMiB=" + allocated / (1024 * 1024));
        System.out.println("pressureDowns=" + downs + (downs > 0 ? " " + downMessage : ""));
        System.out.println("lastCheck=" + last.status() + " " + last.details());
        System.out.println("held=" + liveSet.size() * (long) chunk);
        System.out.println("done");
    }

    private static boolean exitOnOom() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+ExitOnOutOfMemoryError");
    }
}
