package dev.readiness.bench.gc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * JDK defaults against readiness-gc flags, in real cgroup v1 memory cgroups of 512 MiB and 1 GiB: the same
 * allocation-heavy workload ({@link AllocationWorkload}, a live set of a fifth of the limit) with the JDK's
 * defaults and through the readiness-gc entrypoint. Reports requests per second, the longest GC pause, the JVM's
 * peak RSS and the cgroup's peak usage. Then the time the entrypoint adds to a JVM's start (median of runs of an
 * empty main, with and without it).
 * <p>
 * Needs root and a writable cgroup v1 memory controller beneath this process's cgroup; says so and stops otherwise.
 * <pre>
 * mvn -B -q -pl gc-tuning,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/classes dev.readiness.bench.gc.GcTuningBenchmark \
 *      gc-tuning/target/readiness-gc-tuning-0.1.0-SNAPSHOT.jar [seconds-per-run, default 8] [start runs, default 10]
 * </pre>
 */
public final class GcTuningBenchmark {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "gc-tuning/target/readiness-gc-tuning-0.1.0-SNAPSHOT.jar");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int startRuns = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (!Files.isRegularFile(jar)) {
            System.out.println("no gc-tuning jar at " + jar + "; build it first (see the class comment)");
            System.exit(2);
        }
        Path memoryRoot = ownMemoryCgroup();
        if (memoryRoot == null || !Files.isWritable(memoryRoot)) {
            System.out.println("cannot create a memory cgroup here (needs root and cgroup v1 memory): " + memoryRoot);
            System.exit(2);
        }
        Path work = Files.createTempDirectory("readiness-gc-bench");
        Path entrypoint = extractEntrypoint(jar, work);
        String cp = Arrays.stream(System.getProperty("java.class.path").split(":"))
                .filter(e -> e.contains("benchmarks")).findFirst().orElse(System.getProperty("java.class.path"));

        System.out.println("| limit | JVM | collector | max heap | requests/s | longest pause | peak RSS | cgroup peak |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (long limitMiB : new long[] {512, 1024}) {
            long liveSet = limitMiB * 1024 * 1024 / 5;
            String workload = "-cp " + cp + " " + AllocationWorkload.class.getName() + " " + liveSet + " " + seconds;
            for (boolean ours : new boolean[] {false, true}) {
                String command = (ours ? entrypoint + " " : "") + JAVA + " " + workload;
                try (Cgroup cg = Cgroup.create(memoryRoot, "readiness-gc-bench", limitMiB * 1024 * 1024)) {
                    Map<String, String> env = new HashMap<>();
                    env.put("READINESS_GC_JAR", jar.toString());
                    env.put("READINESS_GC_LOG_DIR", work.toString());
                    env.put("READINESS_GC_QUIET", "true");
                    Result r = run(cg, command, env);
                    System.out.printf(Locale.ROOT, "| %d MiB | %s | %s | %s MiB | %s | %s ms | %s MiB | %d MiB |%n",
                            limitMiB, ours ? "readiness-gc" : "JDK defaults", r.get("collectors"),
                            r.get("maxHeapMiB"), r.get("requestsPerSecond"), r.get("longestPauseMs"),
                            r.get("peakRssMiB"), cg.read("memory.max_usage_in_bytes") / (1024 * 1024));
                }
            }
        }

        String noop = JAVA + " -cp " + cp + " " + Noop.class.getName();
        try (Cgroup cg = Cgroup.create(memoryRoot, "readiness-gc-bench-start", 512L * 1024 * 1024)) {
            Map<String, String> env = Map.of("READINESS_GC_JAR", jar.toString(), "READINESS_GC_LOG_DIR", "off",
                    "READINESS_GC_QUIET", "true");
            // interleaved, so both see the same noise from whatever else runs on the machine
            List<Long> plain = new ArrayList<>();
            List<Long> through = new ArrayList<>();
            List<Long> cli = new ArrayList<>();
            String cliOnly = JAVA + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData -cp " + jar
                    + " dev.readiness.gc.cli.Main flags -- " + noop.substring(JAVA.length() + 1);
            for (int i = 0; i < startRuns; i++) {
                plain.add(millis(cg, noop, env));
                through.add(millis(cg, entrypoint + " " + noop, env));
                cli.add(millis(cg, cliOnly, env));
            }
            System.out.println();
            System.out.printf("start, median of %d interleaved runs: java Noop %d ms; through the entrypoint %d ms "
                    + "(+%d ms); the CLI alone %d ms%n", startRuns, median(plain), median(through),
                    median(through) - median(plain), median(cli));
        }
    }

    record Result(Map<String, String> values) {
        String get(String key) {
            return values.getOrDefault(key, "?");
        }
    }

    static Result run(Cgroup cg, String command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", cg.enter() + command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            System.out.println("run failed (" + command + "):\n" + out);
        }
        Map<String, String> values = new HashMap<>();
        out.lines().filter(l -> l.contains("=") && !l.startsWith("-")).forEach(l -> {
            int eq = l.indexOf('=');
            values.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return new Result(values);
    }

    static long millis(Cgroup cg, String command, Map<String, String> env) throws Exception {
        long t0 = System.nanoTime();
        run(cg, command, env);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static Path extractEntrypoint(Path jar, Path dir) throws IOException {
        Path script = dir.resolve("readiness-gc-entrypoint.sh");
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry("dev/readiness/gc/readiness-gc-entrypoint.sh");
            try (InputStream in = j.getInputStream(e)) {
                Files.write(script, in.readAllBytes());
            }
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static Path ownMemoryCgroup() throws IOException {
        String path = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                path = f[2];
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String[] left = halves[0].split(" ");
            if (path != null && halves.length == 2 && halves[1].startsWith("cgroup ")
                    && halves[1].matches(".*[ ,]memory(,.*|$)") && left[3].equals("/")) {
                return Path.of(left[4] + path);
            }
        }
        return null;
    }

    /** A memory cgroup beneath this process's own, removed on close. */
    record Cgroup(Path dir) implements AutoCloseable {

        static Cgroup create(Path parent, String name, long limit) throws IOException {
            Path dir = parent.resolve(name + "-" + ProcessHandle.current().pid());
            Files.createDirectory(dir);
            Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
            return new Cgroup(dir);
        }

        String enter() {
            return "echo $$ > " + dir.resolve("cgroup.procs") + " && exec ";
        }

        long read(String file) throws IOException {
            return Long.parseLong(Files.readString(dir.resolve(file)).trim());
        }

        @Override
        public void close() throws Exception {
            for (int i = 0; i < 50 && Files.isDirectory(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException busy) {
                    Thread.sleep(100);
                }
            }
        }
    }
}
