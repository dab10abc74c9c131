package dev.readiness.bench.report;

import dev.readiness.bench.gc.AllocationWorkload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The gc-tuning comparison in a real container: the Spring Boot sample's image (built by
 * {@code containers/build-images.sh}), {@code podman run --memory 512m}, the same {@link AllocationWorkload} as
 * {@code gc}, started with the JDK's defaults ({@code READINESS_GC_ENABLED=false}) and through the image's
 * entrypoint, interleaved in one run; OOM kills read from {@code podman inspect}.
 */
final class ContainerGcReport implements ReportBenchmark {

    private static final long LIMIT_MIB = 512;
    private static final String SAMPLE = "spring-boot-service";

    private final Path repository;

    ContainerGcReport(Path repository) {
        this.repository = repository;
    }

    @Override
    public String id() {
        return "containers";
    }

    @Override
    public String doc() {
        return "gc-tuning.md";
    }

    @Override
    public String title() {
        return "GC in a real 512 MiB container (podman): JDK defaults vs readiness-gc";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        Path conf = repository.resolve("containers/containers.conf");
        Path script = repository.resolve("containers/build-images.sh");
        if (!"0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim())) {
            return Section.notRun(this, "needs root (podman with runc, debootstrap)");
        }
        Run images = exec(conf, 900, "bash", script.toString(), SAMPLE);
        if (images.exit() != 0) {
            return Section.notRun(this, "containers/build-images.sh failed: " + images.output().strip());
        }
        Path work = Files.createTempDirectory("container-gc-");
        Path classFile = work.resolve(AllocationWorkload.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = AllocationWorkload.class.getResourceAsStream(AllocationWorkload.class.getSimpleName() + ".class")) {
            Files.copy(in, classFile, StandardCopyOption.REPLACE_EXISTING);
        }
        // Readable by the image's user 10001.
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }

        int reps = mode.pick(2, 3);
        int seconds = mode.pick(4, 8);
        long liveSet = LIMIT_MIB * 1024 * 1024 / 5;
        Map<Boolean, List<Double>> rps = new HashMap<>();
        Map<Boolean, List<Double>> pause = new HashMap<>();
        Map<Boolean, List<Double>> rss = new HashMap<>();
        Map<Boolean, Integer> oomKilled = new HashMap<>();
        Map<Boolean, Integer> failed = new HashMap<>();
        Set<String> shapes = new LinkedHashSet<>();
        for (int i = 0; i < reps; i++) {
            for (boolean ours : new boolean[] {false, true}) {
                String name = "readiness-bench-" + UUID.randomUUID().toString().substring(0, 8);
                List<String> command = new ArrayList<>(List.of("podman", "run", "--name", name, "--network", "none",
                        "--memory", LIMIT_MIB + "m", "-v", work + ":/bench:ro"));
                if (!ours) {
                    command.addAll(List.of("-e", "READINESS_GC_ENABLED=false"));
                }
                command.addAll(List.of("localhost/readiness/" + SAMPLE + ":test", "java", "-cp", "/bench",
                        AllocationWorkload.class.getName(), Long.toString(liveSet), Integer.toString(seconds)));
                try {
                    Run r = exec(conf, seconds + 120L, command.toArray(String[]::new));
                    Map<String, String> out = keyValues(r.output());
                    boolean killed = "true".equals(exec(conf, 60, "podman", "inspect", "--format",
                            "{{.State.OOMKilled}}", name).output().trim());
                    oomKilled.merge(ours, killed ? 1 : 0, Integer::sum);
                    failed.merge(ours, r.exit() != 0 ? 1 : 0, Integer::sum);
                    if (r.exit() == 0 && out.containsKey("requestsPerSecond")) {
                        rps.computeIfAbsent(ours, k -> new ArrayList<>()).add(Double.parseDouble(out.get("requestsPerSecond")));
                        pause.computeIfAbsent(ours, k -> new ArrayList<>()).add(Double.parseDouble(out.get("longestPauseMs")));
                        rss.computeIfAbsent(ours, k -> new ArrayList<>()).add(Double.parseDouble(out.get("peakRssMiB")));
                        shapes.add(variant(ours) + ": " + out.get("collectors") + ", max heap " + out.get("maxHeapMiB")
                                + " MiB");
                    } else {
                        shapes.add(variant(ours) + ": a run exited " + r.exit() + ": " + tail(r.output()));
                    }
                } finally {
                    exec(conf, 60, "podman", "rm", "-f", "-t", "0", name);
                }
            }
        }
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (rps.get(false) == null || rps.get(true) == null) {
            return Section.notRun(this, "no run of one variant finished: " + String.join("; ", shapes));
        }
        Section.Builder section = Section.builder(this)
                .method("The gc section's workload (a live set of a fifth of the limit, short-lived request buffers, "
                        + "cache entries replaced now and then) inside the Spring Boot sample's image, built from its "
                        + "Dockerfile by containers/build-images.sh on a JRE base image made from Debian packages, run "
                        + "with podman run --memory " + LIMIT_MIB + "m: with the JDK's defaults "
                        + "(READINESS_GC_ENABLED=false) and through the image's gc-tuning entrypoint, interleaved, "
                        + reps + " repetition(s) of " + seconds + " s each. OOM kills from podman inspect's "
                        + "State.OOMKilled.");
        section.add(Comparison.higherIsBetter("throughput in a 512 MiB container", "requests/s")
                .anchor(variant(false), rps.getOrDefault(false, List.of()))
                .variant(variant(true), rps.getOrDefault(true, List.of())).charted());
        section.add(Comparison.lowerIsBetter("longest GC pause in a 512 MiB container", "ms")
                .anchor(variant(false), pause.getOrDefault(false, List.of()))
                .variant(variant(true), pause.getOrDefault(true, List.of())));
        section.add(Comparison.lowerIsBetter("JVM peak RSS in a 512 MiB container", "MiB")
                .anchor(variant(false), rss.getOrDefault(false, List.of()))
                .variant(variant(true), rss.getOrDefault(true, List.of())));
        for (boolean ours : new boolean[] {false, true}) {
            section.note(variant(ours) + ": OOM-killed in " + oomKilled.getOrDefault(ours, 0) + " of " + reps
                    + " runs, non-zero exit in " + failed.getOrDefault(ours, 0) + " of " + reps);
        }
        shapes.forEach(section::note);
        return section.build();
    }

    private record Run(int exit, String output) {
    }

    private static Run exec(Path conf, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Run(127, command[0] + " cannot be started: " + e.getMessage()
                    + " (apt-get install -y podman runc debootstrap)");
        }
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        reader.join(10_000);
        return new Run(p.isAlive() ? -1 : p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }

    private static Map<String, String> keyValues(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static String tail(String output) {
        String s = output.strip();
        return s.length() > 300 ? "..." + s.substring(s.length() - 300) : s;
    }

    private static String variant(boolean ours) {
        return ours ? "readiness-gc entrypoint" : "JDK defaults";
    }
}
