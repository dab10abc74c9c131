package dev.readiness.gc.cgroup;

import dev.readiness.testkit.fuzz.Fuzz;
import dev.readiness.testkit.fuzz.Gen;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link CgroupReader} reads {@code /proc/self/cgroup}, {@code /proc/self/mountinfo}, {@code /proc/meminfo} and the
 * cgroup v1 and v2 limit files, and promises "never an exception": whatever they hold is a limit, or no limit and a
 * warning. Generated valid hierarchies read to the lowest limit along the cgroup's ancestry.
 */
class CgroupReaderPropertiesTest {

    private Path root;

    /** The property run in a fresh {@link #root} for each input (and each shrunk one), deleted after it. */
    private <T> Fuzz.Property<T> inFreshRoot(Fuzz.Property<T> property) {
        return input -> {
            root = Files.createTempDirectory("cgroup-property");
            try {
                property.check(input);
            } finally {
                deleteRoot();
            }
        };
    }

    private void deleteRoot() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---------------------------------------------------------------- hostile files

    private static final String V2_MOUNT = "1530 1521 0:30 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
    private static final String V1_MOUNTS = "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
            + "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";

    private static Gen<String> hostileValue() {
        return Gen.frequencyOf(
                Gen.weight(3, Gen.strings().all().ofMaxLength(40)),
                Gen.weight(3, Gen.of("max", "-1", "0", "9223372036854775807", "9223372036854775808",
                        "18446744073709551615", "-9223372036854775808", "NaN", "1e9", "0x10", "+5", "٣", "",
                        "\u0000", "max 100000", "max max", "100000 0", "0 100000", "-1 100000", "1 1 1",
                        "100000\t100000", "100000 100000\n", "\r\n50000 100000\r\n", "9223372036854775807 1",
                        "1 9223372036854775807", "50000 -100000", " ", "536870912\u0000")),
                Gen.weight(1, Gen.strings().withChars("0123456789").ofMinLength(19).ofMaxLength(400)));
    }

    private static Gen<String> hostileCgroup() {
        return Gen.oneOf(Gen.strings().all().ofMaxLength(120),
                Gen.strings().withChars("0123456789:,/memorycpu\n.\u0000 ").ofMaxLength(120),
                Gen.of("0::/", "0::", "0::/a/../../..", "0::/a\u0000b", "0::/\u0000", "0::/ space/x",
                        "4:memory:/x\n1:cpu:/y\n0::/", "::", ":::", "0:", "4:memory:", "4:memory:/../..",
                        "4:memory,cpu:/a/./b", "4::/x", "a:memory:/x", "0::/" + "d/".repeat(300),
                        "0::/a\\040b", "0::/%00"));
    }

    private static Gen<String> hostileMountinfo() {
        Gen<String> point = Gen.of("/sys/fs/cgroup", "/sys/fs/cgroup\\000x", "/\\000", "", "relative",
                "/sys/fs/../../..", "/sys/fs/cgroup/", "//sys//fs", "/sys/fs/cgroup\\012x", "/\\134");
        Gen<String> mountRoot = Gen.of("/", "/a", "/\\000", "", "/a/../..", "/x\\040y");
        Gen<String> line = Gen.combine(mountRoot, point, Gen.of("cgroup2", "cgroup"),
                Gen.of("rw", "rw,memory", "rw,cpu", "rw,cpu,memory", ",", ""),
                (r, p, fs, opts) -> "30 20 0:30 " + r + " " + p + " rw - " + fs + " " + fs + " " + opts);
        return Gen.oneOf(Gen.strings().all().ofMaxLength(200),
                line.list().ofMaxSize(4).map(l -> String.join("\n", l)),
                Gen.of(V2_MOUNT, V1_MOUNTS, V2_MOUNT + V1_MOUNTS));
    }

    /** What the files of a hostile tree hold, and whether the limit files are laid out as cgroup v1's or v2's. */
    private record HostileFiles(String cgroup, String mountinfo, String memory, String cpu, String meminfo,
                                boolean v1) {
    }

    @Test
    void noFileContentMakesTheReaderThrow() {
        Gen<String> cgroup = hostileCgroup();
        Gen<String> mountinfo = hostileMountinfo();
        Gen<String> value = hostileValue();
        Gen<Boolean> v1 = Gen.of(false, true);
        Gen<HostileFiles> files = r -> new HostileFiles(cgroup.next(r), mountinfo.next(r), value.next(r),
                value.next(r), value.next(r), v1.next(r));
        Fuzz.forAll(500, files, inFreshRoot(f -> readsHostileFiles(f.cgroup(), f.mountinfo(),
                f.memory(), f.cpu(), f.meminfo(), f.v1())));
    }

    private void readsHostileFiles(String cgroup, String mountinfo, String memory, String cpu, String meminfo,
                                   boolean v1) throws IOException {
        write("proc/self/cgroup", cgroup);
        write("proc/self/mountinfo", mountinfo);
        write("proc/meminfo", "MemTotal: " + meminfo + " kB\n");
        if (v1) {
            write("sys/fs/cgroup/memory/memory.limit_in_bytes", memory);
            write("sys/fs/cgroup/memory/memory.stat", "hierarchical_memory_limit " + memory + "\n");
            write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", cpu);
            write("sys/fs/cgroup/cpu/cpu.cfs_period_us", cpu);
        } else {
            write("sys/fs/cgroup/memory.max", memory);
            write("sys/fs/cgroup/cpu.max", cpu);
        }
        ContainerLimits l = CgroupReader.read(root);
        sane(l);
    }

    private record HostileLimits(String memory, String quota, String period, String meminfo, boolean v1) {
    }

    /** The same, with the well-formed mounts and cgroup file, so that the limit files are the ones read. */
    @Test
    void noLimitFileContentMakesTheReaderThrow() {
        Gen<String> value = hostileValue();
        Gen<Boolean> v1 = Gen.of(false, true);
        Gen<HostileLimits> limits = r -> new HostileLimits(value.next(r), value.next(r), value.next(r),
                value.next(r), v1.next(r));
        Fuzz.forAll(500, limits, inFreshRoot(l -> readsHostileLimits(l.memory(), l.quota(),
                l.period(), l.meminfo(), l.v1())));
    }

    private void readsHostileLimits(String memory, String quota, String period, String meminfo, boolean v1)
            throws IOException {
        write("proc/meminfo", "MemTotal: " + meminfo + " kB\n");
        if (v1) {
            write("proc/self/cgroup", "4:memory:/\n1:cpu:/\n");
            write("proc/self/mountinfo", V1_MOUNTS);
            write("sys/fs/cgroup/memory/memory.limit_in_bytes", memory);
            write("sys/fs/cgroup/memory/memory.stat", "cache 0\nhierarchical_memory_limit " + memory + "\n");
            write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", quota);
            write("sys/fs/cgroup/cpu/cpu.cfs_period_us", period);
        } else {
            write("proc/self/cgroup", "0::/\n");
            write("proc/self/mountinfo", V2_MOUNT);
            write("sys/fs/cgroup/memory.max", memory);
            write("sys/fs/cgroup/cpu.max", quota + " " + period);
        }
        ContainerLimits l = CgroupReader.read(root);
        sane(l);
        assertThat(l.version()).isEqualTo(v1 ? CgroupVersion.V1 : CgroupVersion.V2);
    }

    private static void sane(ContainerLimits l) {
        assertThat(l.version()).isNotNull();
        l.memoryLimit().ifPresent(m -> assertThat(m).isPositive());
        l.cpuLimit().ifPresent(c -> assertThat(c).isPositive().isFinite());
        assertThat(l.memorySource()).isNotNull();
        assertThat(l.cpuSource()).isNotNull();
    }

    // ---------------------------------------------------------------- valid hierarchies

    /** One level of the cgroup's ancestry: its limits, each maybe unset ("max", or no file at all). */
    record Level(Optional<Long> memory, Optional<long[]> cpu, boolean fileMissing) {
    }

    /** Levels whose memory and CPU limits are each set with probability 0.6. */
    private static Gen<List<Level>> levels() {
        Gen<Optional<Long>> memory = Gen.longs().between(1, 1L << 62).injectNull(0.4).map(Optional::ofNullable);
        Gen<Optional<long[]>> cpu = Gen.combine(Gen.longs().between(1, 10_000_000),
                        Gen.longs().between(1_000, 1_000_000), (q, p) -> new long[]{q, p})
                .injectNull(0.4).map(Optional::ofNullable);
        return Gen.combine(memory, cpu, Gen.of(false, false, true), Level::new).list().ofMinSize(1).ofMaxSize(5);
    }

    @Test
    void aV2HierarchyReadsToItsLowestLimits() {
        Fuzz.forAll(300, levels(), inFreshRoot(this::v2HierarchyReadsToItsLowestLimits));
    }

    private void v2HierarchyReadsToItsLowestLimits(List<Level> levels) throws IOException {
        List<String> names = names(levels.size());
        write("proc/self/cgroup", "0::/" + String.join("/", names.subList(1, names.size())) + "\n");
        write("proc/self/mountinfo", V2_MOUNT);
        Path dir = root.resolve("sys/fs/cgroup");
        for (int i = 0; i < levels.size(); i++) {
            dir = i == 0 ? dir : dir.resolve(names.get(i));
            Level l = levels.get(i);
            if (!l.fileMissing()) {
                write(dir.resolve("memory.max"), l.memory().map(String::valueOf).orElse("max") + "\n");
                write(dir.resolve("cpu.max"), l.cpu().map(c -> c[0] + " " + c[1]).orElse("max 100000") + "\n");
            } else {
                Files.createDirectories(dir);
            }
        }
        check(levels, CgroupReader.read(root), CgroupVersion.V2);
    }

    @Test
    void aV1HierarchyReadsToItsLowestLimits() {
        Fuzz.forAll(300, levels(), inFreshRoot(this::v1HierarchyReadsToItsLowestLimits));
    }

    private void v1HierarchyReadsToItsLowestLimits(List<Level> levels) throws IOException {
        List<String> names = names(levels.size());
        String path = "/" + String.join("/", names.subList(1, names.size()));
        write("proc/self/cgroup", "4:memory:" + path + "\n1:cpu:" + path + "\n");
        write("proc/self/mountinfo", V1_MOUNTS);
        Path mem = root.resolve("sys/fs/cgroup/memory");
        Path cpu = root.resolve("sys/fs/cgroup/cpu");
        for (int i = 0; i < levels.size(); i++) {
            mem = i == 0 ? mem : mem.resolve(names.get(i));
            cpu = i == 0 ? cpu : cpu.resolve(names.get(i));
            Level l = levels.get(i);
            if (!l.fileMissing()) {
                write(mem.resolve("memory.limit_in_bytes"), l.memory().map(String::valueOf)
                        .orElse(String.valueOf(0x7FFFFFFFFFFFF000L)) + "\n");
                write(cpu.resolve("cpu.cfs_quota_us"), l.cpu().map(c -> String.valueOf(c[0])).orElse("-1") + "\n");
                write(cpu.resolve("cpu.cfs_period_us"), l.cpu().map(c -> String.valueOf(c[1])).orElse("100000") + "\n");
            } else {
                Files.createDirectories(mem);
                Files.createDirectories(cpu);
            }
        }
        check(levels, CgroupReader.read(root), CgroupVersion.V1);
    }

    private static void check(List<Level> levels, ContainerLimits l, CgroupVersion version) {
        OptionalLong memory = levels.stream().filter(x -> !x.fileMissing()).flatMap(x -> x.memory().stream())
                .mapToLong(Long::longValue).min();
        double cpu = levels.stream().filter(x -> !x.fileMissing()).flatMap(x -> x.cpu().stream())
                .mapToDouble(c -> (double) c[0] / c[1]).min().orElse(-1);
        assertThat(l.version()).isEqualTo(version);
        assertThat(l.memoryLimit()).isEqualTo(memory);
        if (cpu < 0) {
            assertThat(l.cpuLimit()).isEmpty();
        } else {
            assertThat(l.cpuLimit().getAsDouble()).isCloseTo(cpu, within(1e-12));
        }
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>(List.of(""));
        for (int i = 1; i < n; i++) {
            names.add(i % 2 == 0 ? "kubepods.slice" : "pod-" + i + ".scope");
        }
        return names;
    }

    private void write(String relative, String text) throws IOException {
        write(root.resolve(relative), text);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
