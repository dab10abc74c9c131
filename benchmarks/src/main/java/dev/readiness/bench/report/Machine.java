package dev.readiness.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine the figures were measured on: without it a figure means little. Reads /proc where it exists and
 * says "unknown" where it does not.
 *
 * @param cores     processors available to the JVM
 * @param memoryMiB the machine's memory (MemTotal), -1 when unknown
 * @param cpu       the CPU model name
 * @param jdk       vendor, VM and version of the JDK running the report
 * @param kernel    operating system and kernel release
 */
public record Machine(int cores, long memoryMiB, String cpu, String jdk, String kernel) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), memTotalMiB(Path.of("/proc/meminfo")),
                cpuModel(Path.of("/proc/cpuinfo")),
                System.getProperty("java.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                        + System.getProperty("os.arch") + ")");
    }

    /** The 1-minute load average; NaN where the platform does not give one. */
    public static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }

    /** The three load averages as /proc/loadavg shows them, or "unknown". */
    public static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " / " + f[1] + " / " + f[2] : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static long memTotalMiB(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (or an unexpected shape): the report says "unknown"
        }
        return -1;
    }

    static String cpuModel(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? "unknown" : line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // as above
        }
        return "unknown";
    }
}
