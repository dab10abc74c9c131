package dev.readiness.core.reload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MountCheckTest {

    private static final Path DIR = Path.of("/etc/app");
    private static final String VOLUME = "1234 1200 8:1 /var/lib/kubelet/pods/6f1c/volumes/kubernetes.io~configmap/"
            + "app /etc/app ro,relatime - ext4 /dev/sda1 rw";
    private static final String SUBPATH = "1235 1200 8:1 /var/lib/kubelet/pods/6f1c/volume-subpaths/app/main/0 "
            + "/etc/app/app.properties ro,relatime - ext4 /dev/sda1 rw";
    private static final Map<String, String> IN_POD = Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1");

    @Test
    void wholeVolumeMountIsFine() {
        assertThat(MountCheck.warnings(DIR, true, List.of(VOLUME), IN_POD)).isEmpty();
    }

    @Test
    void subPathMountOfAKeyIsReported() {
        List<String> w = MountCheck.warnings(DIR, false, List.of(SUBPATH), IN_POD);
        assertThat(w).singleElement().asString().contains("/etc/app/app.properties").contains("subPath")
                .contains("never updates");
    }

    @Test
    void subPathMountOfTheDirectoryItselfIsReported() {
        String line = "9 8 8:1 /var/lib/kubelet/pods/x/volume-subpaths/cfg/c/1 /etc/app rw - ext4 /dev/sda1 rw";
        assertThat(MountCheck.warnings(DIR, false, List.of(line), Map.of())).hasSize(1);
    }

    @Test
    void directoryWithoutDataInAPodIsReported() {
        assertThat(MountCheck.warnings(DIR, false, List.of(), IN_POD)).singleElement().asString()
                .contains("no ..data");
    }

    @Test
    void directoryWithoutDataOutsideKubernetesIsALocalRun() {
        assertThat(MountCheck.warnings(DIR, false, List.of(), Map.of())).isEmpty();
    }

    @Test
    void mountsElsewhereAndGarbageLinesAreIgnored() {
        String other = "1 0 8:1 /var/lib/kubelet/pods/x/volume-subpaths/v/c/0 /etc/other rw - ext4 /dev/sda1 rw";
        assertThat(MountCheck.warnings(DIR, true, List.of("", "garbage", "a b c", other, "\0\0\0 \u0000 x y z"),
                IN_POD)).isEmpty();
    }

    @Test
    void escapedSpacesInMountPointsAreDecoded() {
        String line = "1 0 8:1 /var/lib/kubelet/pods/x/volume-subpaths/v/c/0 /etc/my\\040app/k rw - ext4 /dev/x rw";
        assertThat(MountCheck.warnings(Path.of("/etc/my app"), false, List.of(line), Map.of())).hasSize(1);
    }
}
