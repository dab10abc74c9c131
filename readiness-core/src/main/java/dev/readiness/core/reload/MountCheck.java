package dev.readiness.core.reload;

import dev.readiness.core.proc.MountInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds, at start, the mounts that will never update: a ConfigMap key mounted with {@code subPath} (the kubelet
 * bind-mounts a copy and never refreshes it), or a directory that no kubelet manages while running on
 * Kubernetes. Pure: works on the lines of {@code /proc/self/mountinfo} and the environment it is given.
 */
final class MountCheck {

    private MountCheck() {
    }

    /**
     * @param dir        the configured directory, absolute and normalised
     * @param hasData    whether {@code dir/..data} exists
     * @param mountinfo  lines of {@code /proc/self/mountinfo}; empty where there is none
     * @param env        the environment ({@code KUBERNETES_SERVICE_HOST} tells a pod)
     * @return warnings, each naming the path and what to do; empty when the mount looks right
     */
    static List<String> warnings(Path dir, boolean hasData, List<String> mountinfo, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (MountInfo.Mount m : MountInfo.parse(mountinfo).mounts()) {
            Path mountPoint;
            try {
                mountPoint = Path.of(m.mountPoint()).normalize();
            } catch (RuntimeException e) {
                continue; // not a path this file system can name: not the configured directory either
            }
            // the kubelet bind-mounts every subPath from <pod dir>/volume-subpaths/<volume>/<container>/<n>
            if (mountPoint.startsWith(dir) && m.root().contains("/volume-subpaths/")) {
                out.add(mountPoint + " is mounted with subPath (mount root " + m.root() + "): the kubelet never updates"
                        + " a subPath mount, so changes to its ConfigMap will not reach it. Mount the whole volume"
                        + " (no subPath) and point readiness.config.dir at its directory.");
            }
        }
        if (!hasData && out.isEmpty() && env.containsKey("KUBERNETES_SERVICE_HOST")) {
            out.add(dir + " has no ..data link, so no kubelet manages it (not a ConfigMap volume, or mounted with"
                    + " subPath): it will only change if something else writes its files. Mount the ConfigMap as a"
                    + " volume without subPath and point readiness.config.dir at it.");
        }
        return out;
    }
}
