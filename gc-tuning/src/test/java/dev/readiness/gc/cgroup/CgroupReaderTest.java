package dev.readiness.gc.cgroup;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CgroupReaderTest {

    static Path tree(String name) {
        try {
            return Path.of(CgroupReaderTest.class.getResource("/cgroup-trees/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void v1LimitsAreReadFromTheProcessOwnCgroupOnAHybridHost() {
        ContainerLimits l = CgroupReader.read(tree("v1-limited"));
        assertThat(l.version()).isEqualTo(CgroupVersion.V1);
        assertThat(l.memoryLimit()).hasValue(512L * 1024 * 1024);
        assertThat(l.memorySource()).contains("/sys/fs/cgroup/memory/process_api/005cc8d5147d58c7ca5158af0f233de5/memory.limit_in_bytes");
        assertThat(l.cpuLimit().getAsDouble()).isCloseTo(1.5, within(1e-9));
        assertThat(l.warnings()).isEmpty();
    }

    @Test
    void v1UnlimitedValuesMeanNoLimit() {
        ContainerLimits l = CgroupReader.read(tree("v1-unlimited"));
        assertThat(l.version()).isEqualTo(CgroupVersion.V1);
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.cpuLimit()).isEmpty();
        assertThat(l.warnings()).isEmpty();
    }

    @Test
    void v1LimitOnAnAncestorCgroupApplies() {
        ContainerLimits l = CgroupReader.read(tree("v1-nested"));
        assertThat(l.memoryLimit()).hasValue(1024L * 1024 * 1024);
        assertThat(l.memorySource()).contains("/process_api/memory.limit_in_bytes");
        assertThat(l.cpuLimit().getAsDouble()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void v1MountOfTheContainerCgroupItselfIsReadAtTheMountPoint() {
        ContainerLimits l = CgroupReader.read(tree("v1-docker"));
        assertThat(l.memoryLimit()).hasValue(256L * 1024 * 1024);
        assertThat(l.cpuLimit().getAsDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(l.cpuSource()).contains("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us");
    }

    @Test
    void v2LimitsIncludingAFractionalCpuQuota() {
        ContainerLimits l = CgroupReader.read(tree("v2-limited"));
        assertThat(l.version()).isEqualTo(CgroupVersion.V2);
        assertThat(l.memoryLimit()).hasValue(512L * 1024 * 1024);
        assertThat(l.cpuLimit().getAsDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(l.warnings()).isEmpty();
    }

    @Test
    void v2MaxMeansNoLimit() {
        ContainerLimits l = CgroupReader.read(tree("v2-unlimited"));
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.cpuLimit()).isEmpty();
        assertThat(l.warnings()).isEmpty();
    }

    @Test
    void v2LowestLimitAlongTheHierarchyWins() {
        ContainerLimits l = CgroupReader.read(tree("v2-nested"));
        assertThat(l.memoryLimit()).hasValue(1024L * 1024 * 1024);
        assertThat(l.memorySource()).contains("kubepods-pod1.slice/memory.max");
        assertThat(l.cpuLimit().getAsDouble()).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void v2LimitAboveTheHostMemoryIsNoLimit() {
        ContainerLimits l = CgroupReader.read(tree("v2-above-host"));
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.memorySource()).contains("not below the host's memory");
    }

    @Test
    void missingLimitFilesAreNoLimitWithAWarning() {
        ContainerLimits v2 = CgroupReader.read(tree("v2-missing"));
        assertThat(v2.memoryLimit()).isEmpty();
        assertThat(v2.cpuLimit()).isEmpty();
        assertThat(v2.warnings()).anyMatch(w -> w.contains("memory.max: missing"));

        ContainerLimits v1 = CgroupReader.read(tree("v1-missing"));
        assertThat(v1.version()).isEqualTo(CgroupVersion.V1);
        assertThat(v1.memoryLimit()).isEmpty();
        assertThat(v1.warnings()).anyMatch(w -> w.contains("memory.limit_in_bytes: missing"))
                .anyMatch(w -> w.contains("cpu.cfs_quota_us: missing"));
    }

    @Test
    void garbageInCgroupFilesIsNoLimitWithAWarningNamingFileAndContent() {
        ContainerLimits v2 = CgroupReader.read(tree("v2-garbage"));
        assertThat(v2.memoryLimit()).isEmpty();
        assertThat(v2.cpuLimit()).isEmpty();
        assertThat(v2.warnings())
                .anyMatch(w -> w.contains("/sys/fs/cgroup/memory.max") && w.contains("'512Mi'"))
                .anyMatch(w -> w.contains("cpu.max") && w.contains("'fast'"))
                .anyMatch(w -> w.contains("mountinfo: ignored line 'this line is not mountinfo'"))
                .anyMatch(w -> w.contains("/proc/self/cgroup: ignored line 'nonsense'"));

        ContainerLimits v1 = CgroupReader.read(tree("v1-garbage"));
        assertThat(v1.memoryLimit()).isEmpty();
        assertThat(v1.cpuLimit()).isEmpty();
        assertThat(v1.warnings()).anyMatch(w -> w.contains("memory.limit_in_bytes: '-5'"))
                .anyMatch(w -> w.contains("cpu.cfs_quota_us: '12x'"));
    }

    @Test
    void noProcMeansNoCgroupAndNoLimits(@TempDir Path empty) {
        ContainerLimits l = CgroupReader.read(empty);
        assertThat(l.version()).isEqualTo(CgroupVersion.NONE);
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.warnings()).anyMatch(w -> w.contains("/proc/self/cgroup: missing"));
    }

    @Test
    void hostileHugeFileIsReportedNotTrusted(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"),
                "30 1 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/../../etc\n");
        Files.createDirectories(root.resolve("sys/fs/cgroup/etc"));
        Files.writeString(root.resolve("sys/fs/cgroup/etc/memory.max"), "9".repeat(5000));
        ContainerLimits l = CgroupReader.read(root);
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.warnings()).anyMatch(w -> w.contains("is not a limit") && w.length() < 200);
    }

    /** Found by CgroupReaderPropertiesTest: an InvalidPathException out of a reader that promises none. */
    @Test
    void aNulInAMountPointOrACgroupPathIsNoLimitAndAWarning(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"),
                "30 20 0:30 / /sys/fs/cgroup\\000x rw - cgroup2 cgroup2 rw\n");
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/\n");
        ContainerLimits l = CgroupReader.read(root);
        assertThat(l.version()).isEqualTo(CgroupVersion.NONE);
        assertThat(l.warnings()).anyMatch(w -> w.contains("not a path"));

        Files.writeString(root.resolve("proc/self/mountinfo"), "30 20 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/a\u0000b\n");
        assertThat(CgroupReader.read(root).warnings()).anyMatch(w -> w.contains("not a path"));
    }

    @Test
    void anOversizedFileIsNotReadIntoMemory(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"),
                "30 1 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/\n");
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        Files.write(root.resolve("sys/fs/cgroup/memory.max"), new byte[CgroupReader.MAX_FILE_BYTES + 10]);
        ContainerLimits l = CgroupReader.read(root);
        assertThat(l.memoryLimit()).isEmpty();
        assertThat(l.warnings()).anyMatch(w -> w.contains("memory.max: larger than"));
    }

    @Test
    void thisMachineRealCgroupIsReadAsTheJdkReadsIt() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/cgroup")),
                "no /proc/self/cgroup on this machine: real cgroup not tested");
        ContainerLimits l = CgroupReader.read();
        System.out.println("this machine: " + l);
        Assumptions.assumeTrue(l.version() != CgroupVersion.NONE, "no cgroup mounted for this process");
        assertThat(l.memorySource()).startsWith("cgroup " + l.version().name().toLowerCase());
        // The JDK reads the same cgroup: it must agree that there is a limit, and on its value.
        Map<String, String> jdk = jdkSystemSettings();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (l.memoryLimit().isPresent()) {
            assertThat(jdk.get("Memory Limit")).as("the JDK's memory limit").isNotEqualTo("Unlimited");
            assertThat(os.getTotalMemorySize()).isEqualTo(l.memoryLimit().getAsLong());
        } else {
            assertThat(jdk.get("Memory Limit")).as("the JDK's memory limit").isEqualTo("Unlimited");
        }
        if (l.cpuLimit().isPresent()) {
            double jdkCpus = Double.parseDouble(jdk.get("CPU Quota"))
                    / Double.parseDouble(jdk.get("CPU Period").replace("us", ""));
            assertThat(l.cpuLimit().getAsDouble()).isCloseTo(jdkCpus, within(0.001));
            assertThat(Runtime.getRuntime().availableProcessors())
                    .isLessThanOrEqualTo((int) Math.ceil(l.cpuLimit().getAsDouble()));
        } else {
            assertThat(jdk.get("CPU Quota")).as("the JDK's CPU quota").isEqualTo("-1");
        }
    }

    /** What {@code java -XshowSettings:system} prints about this cgroup, as "key: value" pairs. */
    private static Map<String, String> jdkSystemSettings() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XshowSettings:system", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Map<String, String> settings = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                settings.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        assertThat(settings).as(out).containsKeys("Memory Limit", "CPU Quota", "CPU Period");
        return settings;
    }
}
