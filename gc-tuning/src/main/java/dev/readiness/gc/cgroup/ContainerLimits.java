package dev.readiness.gc.cgroup;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The limits of the container this process runs in, as the kernel enforces them.
 *
 * @param version     which cgroup hierarchy the limits come from
 * @param memoryLimit the memory limit in bytes, the lowest along the cgroup's ancestry; empty when unlimited or
 *                    unknown
 * @param memorySource the file that gave the memory limit (for explanations), or a reason when there is none
 * @param cpuLimit    the CPU quota in CPUs (quota / period, may be fractional such as 1.5), the lowest along the
 *                    ancestry; empty when there is no quota or it is unknown
 * @param cpuSource   the file that gave the CPU limit, or a reason when there is none
 * @param warnings    files that were missing or held something unexpected; each was treated as "no limit"
 */
public record ContainerLimits(CgroupVersion version, OptionalLong memoryLimit, String memorySource,
                              OptionalDouble cpuLimit, String cpuSource, List<String> warnings) {

    public ContainerLimits {
        warnings = List.copyOf(warnings);
    }

    /** No cgroup found: no limits. */
    public static ContainerLimits none(String reason, List<String> warnings) {
        return new ContainerLimits(CgroupVersion.NONE, OptionalLong.empty(), reason, OptionalDouble.empty(), reason,
                warnings);
    }

    /** A copy with the memory limit replaced (an operator's override). */
    public ContainerLimits withMemoryLimit(long bytes, String source) {
        return new ContainerLimits(version, OptionalLong.of(bytes), source, cpuLimit, cpuSource, warnings);
    }

    /** A copy with the CPU limit replaced (an operator's override). */
    public ContainerLimits withCpuLimit(double cpus, String source) {
        return new ContainerLimits(version, memoryLimit, memorySource, OptionalDouble.of(cpus), source, warnings);
    }
}
