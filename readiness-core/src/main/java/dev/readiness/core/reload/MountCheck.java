package dev.readiness.core.reload;

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
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue; // not a mountinfo line: nothing to learn from it
            }
            String root = unescape(f[3]);
            Path mountPoint;
            try {
                mountPoint = Path.of(unescape(f[4])).normalize();
            } catch (RuntimeException e) {
                continue;
            }
            // the kubelet bind-mounts every subPath from <pod dir>/volume-subpaths/<volume>/<container>/<n>
            if (mountPoint.startsWith(dir) && root.contains("/volume-subpaths/")) {
                out.add(mountPoint + " is mounted with subPath (mount root " + root + "): the kubelet never updates"
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

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
