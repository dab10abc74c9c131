package dev.readiness.core.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code /proc/self/mountinfo} ({@code proc(5)}), read once for every part of the library that asks
 * where something is mounted: the ConfigMap reload's subPath check and the GC advisor's cgroup lookup.
 *
 * <pre>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * (1)(2)(3)   (4)   (5)   (6)        (7)      (8) (9)  (10)      (11)</pre>
 *
 * A line without the {@code " - "} separator or with too few fields is not a mount: it is kept in
 * {@link #ignored()} so the caller can say so, and the other lines are still read. Paths are unescaped (the kernel
 * writes space, tab, newline and backslash as three octal digits).
 */
public record MountInfo(List<Mount> mounts, List<String> ignored) {

    /**
     * One mount.
     *
     * @param root         field 4: the directory of the file system that is mounted (a bind mount shows a subtree)
     * @param mountPoint   field 5: where it is mounted
     * @param fsType       field 9: {@code cgroup}, {@code cgroup2}, {@code ext4}, ...
     * @param superOptions field 11: per-super-block options (for cgroup v1 the controllers)
     */
    public record Mount(String root, String mountPoint, String fsType, List<String> superOptions) {
    }

    public MountInfo {
        mounts = List.copyOf(mounts);
        ignored = List.copyOf(ignored);
    }

    /** The mounts of {@code text}, the content of a mountinfo file; blank lines are neither mounts nor ignored. */
    public static MountInfo parse(String text) {
        return parse(List.of(text.split("\n")));
    }

    /** The mounts of {@code lines}. */
    public static MountInfo parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            String[] right = halves.length == 2 ? halves[1].split(" ") : new String[0];
            if (left.length < 5 || right.length < 3) {
                ignored.add(line);
                continue;
            }
            mounts.add(new Mount(unescape(left[3]), unescape(left[4]), right[0], List.of(right[2].split(","))));
        }
        return new MountInfo(mounts, ignored);
    }

    /** {@code \040} back to a space, and so on; a backslash not followed by three octal digits stays as it is. */
    public static String unescape(String s) {
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
