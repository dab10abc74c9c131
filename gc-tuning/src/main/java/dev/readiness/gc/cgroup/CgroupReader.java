package dev.readiness.gc.cgroup;

import dev.readiness.core.proc.MountInfo;
import dev.readiness.core.proc.MountInfo.Mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Finds this process's container limits the way the JDK does: {@code /proc/self/cgroup} names the process's
 * cgroup per controller, {@code /proc/self/mountinfo} says where each hierarchy is mounted and which part of it
 * the mount shows, and the limit files of that directory and its ancestors give the limits (the lowest wins, as
 * the kernel enforces the lowest).
 * <p>
 * On a hybrid host (v1 controllers and a v2 mount side by side) the v1 memory and cpu controllers hold the
 * limits, as the JDK assumes. Every file read is forgiving: a missing or garbled file means "no limit" plus a
 * warning in {@link ContainerLimits#warnings()}, never an exception.
 * <p>
 * The {@code root} is where {@code /proc} and {@code /sys} are looked up, {@code /} in production and a recorded
 * tree in tests.
 */
public final class CgroupReader {

    /** v1 reports "no limit" as LONG_MAX rounded down to a page. */
    private static final long V1_UNLIMITED = 0x7FFFFFFFFFFFF000L;
    /** Real cgroup and mountinfo files are a few KiB; a bigger one is not what it claims to be. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private final Path root;
    private final List<String> warnings = new ArrayList<>();

    private CgroupReader(Path root) {
        this.root = root;
    }

    /** Reads the limits of the running process from the real {@code /proc} and {@code /sys}. */
    public static ContainerLimits read() {
        return read(Path.of("/"));
    }

    /** Reads the limits from a tree laid out like {@code /} (with {@code proc/self/...} and {@code sys/...}). */
    public static ContainerLimits read(Path root) {
        return new CgroupReader(root).readLimits();
    }

    private ContainerLimits readLimits() {
        String cgroupText = readOrNull("/proc/self/cgroup");
        String mountText = readOrNull("/proc/self/mountinfo");
        if (cgroupText == null || mountText == null) {
            return ContainerLimits.none("no /proc/self/cgroup or /proc/self/mountinfo", warnings);
        }
        Map<String, String> v1Paths = new HashMap<>();
        String v2Path = null;
        for (String line : cgroupText.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3 || f[0].isBlank()) {
                if (!line.isBlank()) {
                    warnings.add("/proc/self/cgroup: ignored line '" + line + "'");
                }
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else {
                for (String controller : f[1].split(",")) {
                    v1Paths.put(controller, f[2]);
                }
            }
        }
        try {
            return readLimits(v1Paths, v2Path, parseMounts(mountText));
        } catch (InvalidPathException e) {
            // a NUL in a cgroup path or a mount point (mountinfo escapes it as \000): no file there can be opened
            warnings.add("a cgroup path or mount point is not a path (" + e.getReason() + "); treated as no limit");
            return ContainerLimits.none("no readable cgroup directory for this process", warnings);
        }
    }

    private ContainerLimits readLimits(Map<String, String> v1Paths, String v2Path, List<Mount> mounts) {
        Mount memoryMount = v1Mount(mounts, "memory");
        Mount cpuMount = v1Mount(mounts, "cpu");
        boolean v1 = (memoryMount != null && v1Paths.containsKey("memory"))
                || (cpuMount != null && v1Paths.containsKey("cpu"));
        if (v1) {
            return readV1(memoryMount, v1Paths.get("memory"), cpuMount, v1Paths.get("cpu"));
        }
        Mount unified = mounts.stream().filter(m -> m.fsType().equals("cgroup2")).findFirst().orElse(null);
        if (unified != null && v2Path != null) {
            return readV2(unified, v2Path);
        }
        return ContainerLimits.none("no cgroup memory or cpu controller mounted for this process", warnings);
    }

    private ContainerLimits readV1(Mount memMount, String memPath, Mount cpuMount, String cpuPath) {
        OptionalLong memory = OptionalLong.empty();
        String memorySource = "no cgroup v1 memory controller";
        if (memMount != null && memPath != null) {
            Path dir = resolve(memMount, memPath);
            long lowest = Long.MAX_VALUE;
            String from = null;
            for (Path d = dir; d != null && d.startsWith(mountDir(memMount)); d = d.getParent()) {
                long v = readLong(d.resolve("memory.limit_in_bytes"), d.equals(dir));
                if (v > 0 && v < V1_UNLIMITED && v < lowest) {
                    lowest = v;
                    from = display(d.resolve("memory.limit_in_bytes"));
                }
            }
            long hierarchical = hierarchicalLimit(dir.resolve("memory.stat"));
            if (hierarchical > 0 && hierarchical < V1_UNLIMITED && hierarchical < lowest) {
                lowest = hierarchical;
                from = display(dir.resolve("memory.stat")) + " hierarchical_memory_limit";
            }
            memorySource = "cgroup v1 " + display(dir) + ": no memory limit";
            if (from != null) {
                memory = beyondHost(lowest) ? OptionalLong.empty() : OptionalLong.of(lowest);
                memorySource = beyondHost(lowest)
                        ? "cgroup v1 " + from + ": " + lowest + " is not below the host's memory, so no limit"
                        : "cgroup v1 " + from;
            }
        }
        OptionalDouble cpu = OptionalDouble.empty();
        String cpuSource = "no cgroup v1 cpu controller";
        if (cpuMount != null && cpuPath != null) {
            Path dir = resolve(cpuMount, cpuPath);
            cpuSource = "cgroup v1 " + display(dir) + ": no cpu quota";
            double lowest = Double.MAX_VALUE;
            for (Path d = dir; d != null && d.startsWith(mountDir(cpuMount)); d = d.getParent()) {
                long quota = readLong(d.resolve("cpu.cfs_quota_us"), d.equals(dir));
                long period = readLong(d.resolve("cpu.cfs_period_us"), d.equals(dir));
                if (quota > 0 && period > 0 && (double) quota / period < lowest) {
                    lowest = (double) quota / period;
                    cpuSource = "cgroup v1 " + display(d.resolve("cpu.cfs_quota_us")) + " / cpu.cfs_period_us";
                }
            }
            if (lowest != Double.MAX_VALUE) {
                cpu = OptionalDouble.of(lowest);
            }
        }
        return new ContainerLimits(CgroupVersion.V1, memory, memorySource, cpu, cpuSource, warnings);
    }

    private ContainerLimits readV2(Mount mount, String path) {
        Path dir = resolve(mount, path);
        long lowestMemory = Long.MAX_VALUE;
        String memorySource = "cgroup v2 " + display(dir) + ": no memory limit";
        double lowestCpu = Double.MAX_VALUE;
        String cpuSource = "cgroup v2 " + display(dir) + ": no cpu quota";
        Path top = mountDir(mount);
        for (Path d = dir; d != null && d.startsWith(top); d = d.getParent()) {
            boolean leaf = d.equals(dir);
            String max = readOrNull(d.resolve("memory.max"), leaf);
            if (max != null && !max.equals("max")) {
                long v = parseLong(max, d.resolve("memory.max"));
                if (v > 0 && v < lowestMemory) {
                    lowestMemory = v;
                    memorySource = "cgroup v2 " + display(d.resolve("memory.max"));
                }
            }
            String cpuMax = readOrNull(d.resolve("cpu.max"), leaf);
            if (cpuMax != null) {
                String[] f = cpuMax.split("\\s+");
                if (f.length != 2) {
                    warnings.add(display(d.resolve("cpu.max")) + ": '" + cpuMax
                            + "' is not '<quota|max> <period>'; treated as no quota");
                } else if (!f[0].equals("max")) {
                    long quota = parseLong(f[0], d.resolve("cpu.max"));
                    long period = parseLong(f[1], d.resolve("cpu.max"));
                    if (quota > 0 && period > 0 && (double) quota / period < lowestCpu) {
                        lowestCpu = (double) quota / period;
                        cpuSource = "cgroup v2 " + display(d.resolve("cpu.max"));
                    }
                }
            }
        }
        OptionalLong memory = OptionalLong.empty();
        if (lowestMemory != Long.MAX_VALUE) {
            if (beyondHost(lowestMemory)) {
                memorySource += ": " + lowestMemory + " is not below the host's memory, so no limit";
            } else {
                memory = OptionalLong.of(lowestMemory);
            }
        }
        OptionalDouble cpu = lowestCpu == Double.MAX_VALUE ? OptionalDouble.empty() : OptionalDouble.of(lowestCpu);
        return new ContainerLimits(CgroupVersion.V2, memory, memorySource, cpu, cpuSource, warnings);
    }

    /** The JDK treats a limit at or above the host's memory as no limit; so do we. */
    private boolean beyondHost(long limit) {
        String meminfo = readOrNull("/proc/meminfo");
        if (meminfo == null) {
            return false;
        }
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    return limit >= Math.multiplyExact(Long.parseLong(f[0]), 1024L);
                } catch (NumberFormatException | ArithmeticException e) {
                    warnings.add("/proc/meminfo: unreadable MemTotal line '" + line + "'");
                    return false;
                }
            }
        }
        return false;
    }

    private long hierarchicalLimit(Path memoryStat) {
        String text = readOrNull(memoryStat, false);
        if (text == null) {
            return -1;
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("hierarchical_memory_limit ")) {
                return parseLong(line.substring("hierarchical_memory_limit ".length()).trim(), memoryStat);
            }
        }
        return -1;
    }

    private static Mount v1Mount(List<Mount> mounts, String controller) {
        return mounts.stream().filter(m -> m.fsType().equals("cgroup") && m.superOptions().contains(controller))
                .findFirst().orElse(null);
    }

    private List<Mount> parseMounts(String text) {
        MountInfo info = MountInfo.parse(text);
        for (String line : info.ignored()) {
            warnings.add("/proc/self/mountinfo: ignored line '" + line + "'");
        }
        return info.mounts().stream().filter(m -> m.fsType().equals("cgroup") || m.fsType().equals("cgroup2"))
                .toList();
    }

    /**
     * The directory of {@code cgroupPath} under {@code mount}, following the JDK: a mount of the whole hierarchy
     * adds the path; a mount of exactly the process's cgroup (a container without a cgroup namespace) is the
     * directory itself; a mount of an ancestor adds the rest of the path.
     */
    private Path resolve(Mount mount, String cgroupPath) {
        String rel;
        if (mount.root().equals("/")) {
            rel = cgroupPath;
        } else if (cgroupPath.equals(mount.root())) {
            rel = "/";
        } else if (cgroupPath.startsWith(mount.root() + "/")) {
            rel = cgroupPath.substring(mount.root().length());
        } else {
            warnings.add("cgroup path " + cgroupPath + " is not under the mount's root " + mount.root() + " at "
                    + mount.mountPoint() + "; reading the mount point itself");
            rel = "/";
        }
        Path dir = mountDir(mount);
        for (String part : rel.split("/")) {
            if (!part.isEmpty() && !part.equals(".") && !part.equals("..")) {
                dir = dir.resolve(part);
            }
        }
        return dir;
    }

    private Path mountDir(Mount mount) {
        return root.resolve(mount.mountPoint().replaceFirst("^/+", ""));
    }

    private String readOrNull(String absolute) {
        return readOrNull(root.resolve(absolute.substring(1)), true);
    }

    private String readOrNull(Path file, boolean warnIfMissing) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                warnings.add(display(file) + ": larger than " + MAX_FILE_BYTES + " bytes; not read, treated as no limit");
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            if (warnIfMissing) {
                warnings.add(display(file) + ": missing; treated as no limit");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            warnings.add(display(file) + ": unreadable (" + e + "); treated as no limit");
            return null;
        }
    }

    /** -1 for "missing", "unlimited" or garbage; garbage is reported. */
    private long readLong(Path file, boolean warnIfMissing) {
        String text = readOrNull(file, warnIfMissing);
        return text == null ? -1 : parseLong(text, file);
    }

    private long parseLong(String text, Path file) {
        if (text.equals("-1") || text.equals("max")) {
            return -1;
        }
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        warnings.add(display(file) + ": '" + shown + "' is not a limit; treated as no limit");
        return -1;
    }

    private String display(Path file) {
        return "/" + root.relativize(file).toString().replace('\\', '/');
    }
}
