package dev.readiness.bench.startup;

import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;
import dev.readiness.bench.report.Stats;
import dev.readiness.bench.startup.plain.PlainBootService;
import dev.readiness.testkit.KubeletAtomicWriter;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.process.ForkedJvm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Start-up time to ready of {@code samples/spring-boot-service} (readiness' starter, Redis sessions, ConfigMap
 * watch, drain) against {@link PlainBootService}, the same endpoints in plain Spring Boot. Both run from the
 * sample's own dependencies, extracted the way Spring Boot recommends for production ({@code -Djarmode=tools
 * extract}); the plain service gets them without readiness' jars. Interleaved repetitions; each measures from
 * process start to the first 200 on {@code GET /} (and for the sample, to {@code /readyz} answering 200).
 * Target: readiness adds at most 10 % or 150 ms, whichever is larger.
 */
public final class StartupReport implements ReportBenchmark {

    static final String SAMPLE = "samples/spring-boot-service/target/spring-boot-service.jar";
    static final String PLAIN = "the anchor, plain Spring Boot (" + PlainBootService.class.getSimpleName() + ")";
    static final String SAMPLE_VARIANT = "spring-boot-service with readiness";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Path repository;

    public StartupReport(Path repository) {
        this.repository = repository;
    }

    @Override
    public String id() {
        return "startup";
    }

    @Override
    public String title() {
        return "Start-up time to ready: sample with and without readiness";
    }

    @Override
    public Section run(Mode mode) throws Exception {
        Path jar = repository.resolve(SAMPLE);
        if (!Files.isRegularFile(jar)) {
            return Section.notRun(this, "no sample jar at " + SAMPLE + "; build it with "
                    + "`mvn -B -q -pl samples/spring-boot-service -am package -DskipTests` (run.sh does)");
        }
        int reps = mode.pick(5, 10);
        Path work = Files.createTempDirectory("readiness-startup-bench");
        Path extracted = extract(jar, work.resolve("sample"));
        Path plainClasses = plainClasses(work.resolve("plain"));
        String ours = extracted.resolve(jar.getFileName()).toString();
        String oursMain = mainClass(extracted.resolve(jar.getFileName()));
        String plain = plainClasspath(plainClasses, extracted.resolve("lib"));
        Path configDir = Files.createDirectories(work.resolve("config"));
        new KubeletAtomicWriter(configDir).write(Map.of("greeting", "hello"));
        List<Double> plainFirst = new ArrayList<>();
        List<Double> oursFirst = new ArrayList<>();
        List<Double> oursReady = new ArrayList<>();
        List<Double> oursGap = new ArrayList<>();
        try (RedisServer redis = RedisServer.start()) {
            // one unmeasured start of each, so both measure warm file caches
            timeStart(PLAIN, "plain-warm", plain, PlainBootService.class.getName(), plainEnv(configDir), null);
            timeStart(SAMPLE_VARIANT, "sample-warm", ours, oursMain, sampleEnv(redis, configDir), "/readyz");
            for (int i = 0; i < reps; i++) {
                plainFirst.add(timeStart(PLAIN, "plain-" + i, plain, PlainBootService.class.getName(),
                        plainEnv(configDir), null)[0]);
                double[] t = timeStart(SAMPLE_VARIANT, "sample-" + i, ours, oursMain, sampleEnv(redis, configDir),
                        "/readyz");
                oursFirst.add(t[0]);
                oursReady.add(t[1]);
                oursGap.add(t[1] - t[0]);
                System.out.printf(Locale.ROOT, "   run %d: plain first answer %.0f ms; sample first answer %.0f ms,"
                        + " /readyz 200 %.0f ms (%.0f ms later)%n", i, plainFirst.get(i), t[0], t[1], t[1] - t[0]);
            }
        }
        double base = Stats.of(plainFirst).median();
        double addedFirst = Stats.of(oursFirst).median() - base;
        // a pod gets traffic once it is ready, and the plain service is ready when it first answers
        double added = Stats.of(oursReady).median() - base;
        double allowed = Math.max(0.10 * base, 150);
        return Section.builder(this)
                .method("`" + SAMPLE + "` (readiness' Spring Boot starter: probes on a management port, Redis "
                        + "sessions on a real redis-server, ConfigMap watch, drain) against a plain Spring Boot web "
                        + "service with the same endpoints and in-memory sessions. Both run from the sample's "
                        + "dependencies extracted with `-Djarmode=tools extract` (the plain one without readiness' "
                        + "jars), default JVM options, " + reps + " interleaved repetitions after one unmeasured start "
                        + "of each; time from process start to the first 200 on `GET /`, and for the sample to "
                        + "`/readyz` answering 200 on the management port, and that time minus the sample's first "
                        + "answer in the same process.")
                .add(Comparison.lowerIsBetter("process start to first answer or ready", "ms")
                        .anchor("plain Spring Boot", plainFirst)
                        .variant("spring-boot-service with readiness", oursFirst)
                        .variant("spring-boot-service, /readyz 200", oursReady).charted())
                // within one process, so the machine's load weighs on it far less than on the comparison above
                .add(Comparison.lowerIsBetter("sample's first answer to its /readyz 200, same process", "ms")
                        .variant("spring-boot-service with readiness", oursGap))
                .note(String.format(Locale.ROOT, "Medians: readiness adds %.0f ms (%.1f %%) to the time to ready (the "
                                + "sample's `/readyz` 200 against the plain service's first answer) and %.0f ms (%.1f %%) "
                                + "to the time to first answer. The target, at most %.0f ms (10 %% or 150 ms, whichever "
                                + "is larger) on the time to ready: %s. Within the sample's own start, `/readyz` answers 200 "
                                + "a median %.0f ms after its first answer. With %d repetitions on a shared machine the "
                                + "spread (min – max above) is wider than the difference; read both.", added,
                        100 * added / base, addedFirst, 100 * addedFirst / base, allowed,
                        added <= allowed ? "met" : "NOT met", Stats.of(oursGap).median(), reps))
                .build();
    }

    private static Map<String, String> plainEnv(Path configDir) {
        return Map.of("READINESS_CONFIG_DIR", configDir.toString());
    }

    private static Map<String, String> sampleEnv(RedisServer redis, Path configDir) {
        return Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", configDir.toString());
    }

    /**
     * Starts a service on free ports and returns ms from process start to the first 200 on {@code /} and,
     * when {@code readyPath} is given, to the first 200 on it at the management port. Kills it after.
     *
     * @param variant which service this is, named in the failure
     * @throws IllegalStateException naming the variant and the run when it exits or does not answer in time; the
     *                               message quotes Spring Boot's failure description, the full output goes to
     *                               stderr
     */
    static double[] timeStart(String variant, String name, String classpath, String main, Map<String, String> env,
                              String readyPath) throws Exception {
        int port = RedisServer.freePort();
        int management = RedisServer.freePort();
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("SERVER_PORT", Integer.toString(port));
        e.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
        long t0 = System.nanoTime();
        try (ForkedJvm jvm = ForkedJvm.start(name, classpath, main, e, List.of(), false)) {
            long first = awaitOk(variant, jvm, URI.create("http://127.0.0.1:" + port + "/"), t0);
            long ready = readyPath == null ? first
                    : awaitOk(variant, jvm, URI.create("http://127.0.0.1:" + management + readyPath), t0);
            return new double[] {first / 1e6, ready / 1e6};
        }
    }

    private static long awaitOk(String variant, ForkedJvm jvm, URI uri, long t0) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = t0 + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime() - t0;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!jvm.isAlive()) {
                int status = jvm.awaitExit(Duration.ofSeconds(5));
                throw startFailed(variant, jvm, "exited with status " + status + " before " + uri + " answered 200");
            }
            Thread.sleep(5);
        }
        throw startFailed(variant, jvm, uri + " did not answer 200 within " + START_TIMEOUT);
    }

    private static IllegalStateException startFailed(String variant, ForkedJvm jvm, String what) {
        List<String> lines = jvm.lines();
        System.err.println("[" + jvm.name() + "] output of the failed start:");
        lines.forEach(l -> System.err.println("[" + jvm.name() + "] " + l));
        return new IllegalStateException(variant + " failed to start (run " + jvm.name() + "): " + what
                + failureDescription(lines).map(d -> "; Spring Boot: " + d).orElse("")
                + " (its output is on stderr above)");
    }

    /**
     * The lines under Spring Boot's "APPLICATION FAILED TO START ... Description:" banner, or else the last
     * exception line, joined into one.
     */
    static java.util.Optional<String> failureDescription(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals("Description:")) {
                StringBuilder out = new StringBuilder();
                for (int j = i + 1; j < lines.size() && !lines.get(j).trim().equals("Action:"); j++) {
                    String l = lines.get(j).trim();
                    if (!l.isEmpty()) {
                        out.append(out.length() == 0 ? "" : " ").append(l);
                    }
                }
                if (out.length() > 0) {
                    return java.util.Optional.of(out.toString());
                }
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.matches("^[\\w.$]+(Exception|Error)(: .*)?$")) {
                return java.util.Optional.of(l);
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code java -Djarmode=tools -jar sample.jar extract}: the application jar and its lib/ folder. */
    static Path extract(Path jar, Path destination) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--destination",
                destination.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0
                || !Files.isRegularFile(destination.resolve(jar.getFileName()))) {
            p.destroyForcibly();
            throw new IllegalStateException("could not extract " + jar + ": " + out);
        }
        return destination;
    }

    private static String mainClass(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String main = j.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null) {
                throw new IllegalStateException("no Main-Class in " + jar);
            }
            return main;
        }
    }

    /** Writes {@link PlainBootService}'s class file into {@code dir}, so it runs without this module's class path. */
    private static Path plainClasses(Path dir) throws IOException {
        String resource = PlainBootService.class.getName().replace('.', '/') + ".class";
        Path file = dir.resolve(resource);
        Files.createDirectories(file.getParent());
        try (InputStream in = PlainBootService.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file " + resource + " not found");
            }
            Files.write(file, in.readAllBytes());
        }
        return dir;
    }

    private static String plainClasspath(Path classes, Path lib) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(classes.toString());
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(j -> !j.getFileName().toString().startsWith("readiness-")).sorted()
                    .forEach(j -> entries.add(j.toString()));
        }
        return String.join(File.pathSeparator, entries);
    }
}
