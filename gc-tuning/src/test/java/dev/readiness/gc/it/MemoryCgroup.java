package dev.readiness.gc.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cgroup v1 memory cgroup created beneath this process's own, for child JVMs; removed on close. Where the
 * machine cannot give one (not Linux, cgroup v2 only, not root, read-only), {@link #create} says why.
 */
final class MemoryCgroup implements AutoCloseable {

    final Path dir;

    private MemoryCgroup(Path dir) {
        this.dir = dir;
    }

    /** Why no memory cgroup can be made here, or empty when one can. */
    static Optional<String> unavailable() {
        try {
            Path base = ownMemoryCgroup();
            if (base == null) {
                return Optional.of("no cgroup v1 memory controller for this process in /proc/self/cgroup + mountinfo");
            }
            if (!Files.isWritable(base)) {
                return Optional.of(base + " is not writable (not root, or a read-only cgroup mount)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read /proc/self/cgroup or mountinfo: " + e);
        }
    }

    static MemoryCgroup create(String name, long limitBytes) throws IOException {
        Path dir = ownMemoryCgroup().resolve(name + "-" + ProcessHandle.current().pid());
        if (Files.isDirectory(dir)) {
            Files.delete(dir);
        }
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
        return new MemoryCgroup(dir);
    }

    /** A shell command prefix that moves the shell into this cgroup, then execs the rest. */
    String enter() {
        return "echo $$ > " + dir.resolve("cgroup.procs") + " && exec ";
    }

    long read(String file) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(file)).trim());
    }

    /** The oom_kill counter of memory.oom_control (kernel 4.13+), or -1 when the kernel has none. */
    long oomKills() throws IOException {
        for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // a cgroup can be removed once its last process has exited, which the kernel notes a moment later
        for (int i = 0; i < 50 && Files.isDirectory(dir); i++) {
            try {
                Files.delete(dir);
            } catch (IOException busy) {
                Thread.sleep(100);
            }
        }
        if (Files.isDirectory(dir)) {
            throw new IOException("cgroup " + dir + " still busy");
        }
    }

    /** /sys/fs/cgroup/memory + this process's memory cgroup path, found as the JDK finds it. */
    static Path ownMemoryCgroup() throws IOException {
        return ownCgroup("memory");
    }

    /** The directory of this process's cgroup v1 for {@code controller}, or null. */
    static Path ownCgroup(String controller) throws IOException {
        String path = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && java.util.List.of(f[1].split(",")).contains(controller)) {
                path = f[2];
            }
        }
        if (path == null) {
            return null;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            if (halves.length == 2 && halves[1].startsWith("cgroup ") && halves[1].matches(".*[ ,]" + controller + "(,.*|$)")
                    && left[3].equals("/")) {
                return Path.of(left[4] + path);
            }
        }
        return null;
    }
}
