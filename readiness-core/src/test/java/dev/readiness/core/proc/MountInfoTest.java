package dev.readiness.core.proc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MountInfoTest {

    private static final String CGROUP_V1 = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:15 - cgroup cgroup"
            + " rw,memory";
    private static final String CGROUP_V2 = "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
    private static final String CONFIGMAP = "1234 1200 8:1 /var/lib/kubelet/pods/6f1c/volumes/kubernetes.io~configmap/"
            + "app /etc/app ro,relatime - ext4 /dev/sda1 rw";

    @Test
    void readsEveryFieldTheLibraryUses() {
        MountInfo info = MountInfo.parse(String.join("\n", CGROUP_V1, CGROUP_V2, CONFIGMAP) + "\n");
        assertThat(info.ignored()).isEmpty();
        assertThat(info.mounts()).containsExactly(
                new MountInfo.Mount("/", "/sys/fs/cgroup/memory", "cgroup", List.of("rw", "memory")),
                new MountInfo.Mount("/", "/sys/fs/cgroup", "cgroup2", List.of("rw", "nsdelegate")),
                new MountInfo.Mount("/var/lib/kubelet/pods/6f1c/volumes/kubernetes.io~configmap/app", "/etc/app",
                        "ext4", List.of("rw")));
    }

    @Test
    void optionalFieldsOfAnyNumberBeforeTheSeparator() {
        String line = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 unbindable - ext3 /dev/root rw,errors=continue";
        assertThat(MountInfo.parse(line).mounts()).singleElement()
                .isEqualTo(new MountInfo.Mount("/mnt1", "/mnt2", "ext3", List.of("rw", "errors=continue")));
    }

    @Test
    void brokenLinesAreKeptAsIgnoredAndTheRestIsStillRead() {
        List<String> broken = List.of("garbage", "a b c - d e f", "1 2 3 4 5 6 no separator here",
                "1 2 3 / /x rw - cgroup", "\0\0\0 \u0000 x y z");
        List<String> lines = new java.util.ArrayList<>(broken);
        lines.add(CGROUP_V2);
        lines.add("");
        lines.add("   ");
        MountInfo info = MountInfo.parse(lines);
        assertThat(info.ignored()).containsExactlyElementsOf(broken);
        assertThat(info.mounts()).singleElement().extracting(MountInfo.Mount::fsType).isEqualTo("cgroup2");
    }

    @Test
    void anEmptyFileHasNoMounts() {
        assertThat(MountInfo.parse("").mounts()).isEmpty();
        assertThat(MountInfo.parse("").ignored()).isEmpty();
        assertThat(MountInfo.parse(List.of()).mounts()).isEmpty();
    }

    @Test
    void octalEscapesAreDecodedAndHalfEscapesKept() {
        assertThat(MountInfo.unescape("/etc/my\\040app")).isEqualTo("/etc/my app");
        assertThat(MountInfo.unescape("/a\\011b\\012c\\134d")).isEqualTo("/a\tb\nc\\d");
        assertThat(MountInfo.unescape("/trailing\\04")).isEqualTo("/trailing\\04");
        assertThat(MountInfo.unescape("/not\\089octal")).isEqualTo("/not\\089octal");
        assertThat(MountInfo.unescape("\\")).isEqualTo("\\");
        String line = "1 0 8:1 /v/c/0 /etc/my\\040app/k rw - ext4 /dev/x rw";
        assertThat(MountInfo.parse(line).mounts().get(0).mountPoint()).isEqualTo("/etc/my app/k");
    }

    @Test
    void theMachinesOwnFileParsesWithoutIgnoredLines() throws Exception {
        java.nio.file.Path self = java.nio.file.Path.of("/proc/self/mountinfo");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(self),
                "skipped: this machine has no /proc/self/mountinfo");
        MountInfo info = MountInfo.parse(java.nio.file.Files.readString(self));
        assertThat(info.ignored()).isEmpty();
        assertThat(info.mounts()).anySatisfy(m -> assertThat(m.mountPoint()).isEqualTo("/"));
    }
}
