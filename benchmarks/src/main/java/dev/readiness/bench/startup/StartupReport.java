package dev.readiness.bench.startup;

import dev.readiness.testkit.FreePorts;
import dev.readiness.bench.report.Comparison;
import dev.readiness.bench.report.Mode;
import dev.readiness.bench.report.ReportBenchmark;
import dev.readiness.bench.report.Section;
import dev.readiness.bench.report.Stats;
import dev.readiness.bench.startup.plain.PlainBootService;
import dev.readiness.bench.startup.springsession.SpringSessionBootService;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Start-up time to ready of {@code samples/spring-boot-service} (readiness' starter: probes, ConfigMap watch, drain,
 * and Redis sessions) against two anchors with the same endpoints, each doing the same work as the sample it is
 * compared with: {@link PlainBootService} (plain Spring Boot, in-memory sessions) against the sample with
 * {@code readiness.sessions.enabled=false}, and {@link SpringSessionBootService} (Spring Session Data Redis) against
 * the sample with readiness' Redis sessions. All run from the sample's own dependencies, extracted the way Spring
 * Boot recommends for production ({@code -Djarmode=tools extract}); the anchors without readiness' jars. Interleaved
 * repetitions; each measures from process start to the first 200 on {@code GET /}, on {@code /session/counter},
 * and for the sample on {@code /readyz}. Target: readiness adds at most 10 % or 150 ms, whichever is larger.
 */
public final class StartupReport implements ReportBenchmark {

    static final String SAMPLE = Section.SPRING_BOOT_SAMPLE;
    static final String PLAIN = "the anchor, plain Spring Boot (" + PlainBootService.class.getSimpleName() + ")";
    static final String SAMPLE_VARIANT = "spring-boot-service with readiness";
    static final String SAMPLE_LOCAL = "spring-boot-service with readiness, in-memory sessions";
    static final String SPRING_SESSION = "the anchor with Redis sessions, Spring Boot + Spring Session Data Redis ("
            + SpringSessionBootService.class.getSimpleName() + ")";
    /** The sample contract's session endpoint: its first 200 means sessions are served (for the Redis ones, stored). */
    static final String SESSION_PATH = "/session/counter";
    /** File-name prefixes of the jars the Spring Session anchor adds to the plain class path. */
    static final List<String> SPRING_SESSION_JARS = List.of("spring-session-core-", "spring-session-data-redis-",
            "spring-data-redis-", "spring-data-keyvalue-", "spring-data-commons-", "spring-tx-", "spring-oxm-",
            "spring-boot-data-redis-", "spring-boot-data-commons-");
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
            return Section.noSampleJar(this);
        }
        int reps = mode.pick(5, 10);
        Path work = Files.createTempDirectory("readiness-startup-bench");
        Path extracted = extract(jar, work.resolve("sample"));
        Path anchorClasses = classFiles(work.resolve("anchors"), PlainBootService.class,
                SpringSessionBootService.class);
        String oursCp = extracted.resolve(jar.getFileName()).toString();
        String oursMain = mainClass(extracted.resolve(jar.getFileName()));
        String plainCp = plainClasspath(anchorClasses, extracted.resolve("lib"));
        String springCp = plainCp + File.pathSeparator + String.join(File.pathSeparator, springSessionJars());
        Path configDir = Files.createDirectories(work.resolve("config"));
        new KubeletAtomicWriter(configDir).write(Map.of("greeting", "hello"));
        Times plain = new Times();
        Times spring = new Times();
        Times local = new Times();
        Times ours = new Times();
        try (RedisServer redis = RedisServer.start()) {
            Map<String, String> oursEnv = sampleEnv(redis, configDir);
            Map<String, String> localEnv = new HashMap<>(oursEnv);
            localEnv.put("READINESS_SESSIONS_ENABLED", "false");
            // one unmeasured start of each, so all measure warm file caches
            timeStart(PLAIN, "plain-warm", plainCp, PlainBootService.class.getName(), plainEnv(configDir), null);
            timeStart(SPRING_SESSION, "spring-session-warm", springCp, SpringSessionBootService.class.getName(),
                    springSessionEnv(redis, configDir), null);
            timeStart(SAMPLE_LOCAL, "sample-local-warm", oursCp, oursMain, localEnv, "/readyz");
            timeStart(SAMPLE_VARIANT, "sample-warm", oursCp, oursMain, oursEnv, "/readyz");
            for (int i = 0; i < reps; i++) {
                plain.add(timeStart(PLAIN, "plain-" + i, plainCp, PlainBootService.class.getName(),
                        plainEnv(configDir), null));
                spring.add(timeStart(SPRING_SESSION, "spring-session-" + i, springCp,
                        SpringSessionBootService.class.getName(), springSessionEnv(redis, configDir), null));
                local.add(timeStart(SAMPLE_LOCAL, "sample-local-" + i, oursCp, oursMain, localEnv, "/readyz"));
                ours.add(timeStart(SAMPLE_VARIANT, "sample-" + i, oursCp, oursMain, oursEnv, "/readyz"));
                System.out.printf(Locale.ROOT, "   run %d: first answer / first session answer / ready, ms: plain %s;"
                        + " Spring Session %s; sample, in-memory sessions %s; sample, Redis sessions %s%n", i,
                        plain.last(), spring.last(), local.last(), ours.last());
            }
        }
        return Section.builder(this)
                .method("`" + SAMPLE + "` (readiness' Spring Boot starter: probes on a management port, ConfigMap "
                        + "watch, drain, GC advice, listen-queue check, and sessions in a real redis-server) against two "
                        + "anchors with the same endpoints, each compared with the sample doing the same work: plain "
                        + "Spring Boot, whose sessions are the container's in-memory ones, against the sample with "
                        + "`readiness.sessions.enabled=false` (every other part of readiness on, sessions in memory); "
                        + "and Spring Boot with its sessions in the same redis-server through Spring Session Data Redis "
                        + "(`@EnableRedisHttpSession`, its default repository, on Boot's Redis auto-configuration: the "
                        + "same Lettuce client) against the sample with readiness' Redis sessions. All run from the "
                        + "sample's dependencies extracted with `-Djarmode=tools extract` (the anchors without readiness' "
                        + "jars; the Spring Session anchor with Spring Session's and Spring Data Redis' jars added), "
                        + "default JVM options, " + reps + " interleaved repetitions after one unmeasured start of each. "
                        + "Times from process start: to the first 200 on `GET /`; then to the first 200 on "
                        + "`GET /session/counter` (a session stored); for the sample then to `/readyz` answering 200 on "
                        + "the management port (every check passed, the Redis connection open). A plain service is ready "
                        + "when it answers, so its ready time is its first session answer.")
                .add(Comparison.lowerIsBetter("in-memory sessions: process start to ready", "ms")
                        .anchor("plain Spring Boot", plain.ready)
                        .variant("spring-boot-service with readiness, in-memory sessions: /readyz 200", local.ready)
                        .variant("spring-boot-service with readiness, in-memory sessions: first answer", local.first)
                        .charted())
                .add(Comparison.lowerIsBetter("Redis sessions: process start to ready", "ms")
                        .anchor("Spring Boot + Spring Session Data Redis", spring.ready)
                        .variant("spring-boot-service with readiness, Redis sessions: /readyz 200", ours.ready)
                        .variant("spring-boot-service with readiness, Redis sessions: first session answer",
                                ours.sessions)
                        .charted())
                .add(Comparison.lowerIsBetter("process start to first answer on GET /", "ms")
                        .anchor("plain Spring Boot", plain.first)
                        .variant("spring-boot-service with readiness, in-memory sessions", local.first)
                        .variant("Spring Boot + Spring Session Data Redis", spring.first)
                        .variant("spring-boot-service with readiness, Redis sessions", ours.first)
                        .charted())
                // within one process, so the machine's load weighs on it far less than on the comparisons above
                .add(Comparison.lowerIsBetter("sample's first answer to its /readyz 200, same process", "ms")
                        .variant("in-memory sessions", local.gap())
                        .variant("Redis sessions", ours.gap()))
                .note(targetNote("In-memory sessions", "plain Spring Boot", plain.ready, local.ready))
                .note(targetNote("Redis sessions", "Spring Boot + Spring Session Data Redis", spring.ready, ours.ready))
                .note(String.format(Locale.ROOT, "What moving sessions to Redis costs at start, whichever library does "
                                + "it: Spring Session Data Redis is ready %+.0f ms after plain Spring Boot, readiness' "
                                + "sample %+.0f ms after its own in-memory start (medians). Both load Lettuce, Netty and "
                                + "reactor (about 1,400 classes) and open a connection; the plain service does neither. "
                                + "Within the sample's own start, `/readyz` answers 200 a median %.0f ms (in-memory "
                                + "sessions) and %.0f ms (Redis sessions) after its first answer. With %d repetitions on "
                                + "a shared machine the spread (min – max above) can be wider than a difference; read "
                                + "both.", median(spring.ready) - median(plain.ready),
                        median(ours.ready) - median(local.ready), median(local.gap()), median(ours.gap()), reps))
                .build();
    }

    /**
     * The target, at most 10 % or 150 ms (whichever is larger) added to the anchor's time to ready, checked
     * on the medians.
     */
    static String targetNote(String what, String anchor, List<Double> anchorReady, List<Double> oursReady) {
        double base = median(anchorReady);
        double added = median(oursReady) - base;
        double allowed = Math.max(0.10 * base, 150);
        return String.format(Locale.ROOT, "%s: the sample with readiness is ready %.0f ms %s %s (%.0f ms), %+.1f %%; "
                        + "the target, at most %.0f ms added (10 %% or 150 ms, whichever is larger): %s.", what,
                Math.abs(added), added < 0 ? "before" : "after", anchor, base, 100 * added / base, allowed,
                added <= allowed ? "met" : "NOT met");
    }

    private static double median(List<Double> values) {
        return Stats.of(values).median();
    }

    /** One service's start times over the repetitions, in ms from process start. */
    static final class Times {
        final List<Double> first = new ArrayList<>();
        final List<Double> sessions = new ArrayList<>();
        final List<Double> ready = new ArrayList<>();

        void add(double[] t) {
            first.add(t[0]);
            sessions.add(t[1]);
            ready.add(t[2]);
        }

        List<Double> gap() {
            List<Double> g = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                g.add(ready.get(i) - first.get(i));
            }
            return g;
        }

        String last() {
            int i = first.size() - 1;
            return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", first.get(i), sessions.get(i), ready.get(i));
        }
    }

    private static Map<String, String> plainEnv(Path configDir) {
        return Map.of("READINESS_CONFIG_DIR", configDir.toString());
    }

    private static Map<String, String> springSessionEnv(RedisServer redis, Path configDir) {
        return Map.of("SPRING_DATA_REDIS_HOST", "127.0.0.1", "SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()),
                "READINESS_CONFIG_DIR", configDir.toString());
    }

    private static Map<String, String> sampleEnv(RedisServer redis, Path configDir) {
        return Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_CONFIG_DIR", configDir.toString());
    }

    /**
     * Starts a service on free ports and returns ms from process start to the first 200 on {@code /}, then to the
     * first 200 on {@code /session/counter}, then, when {@code readyPath} is given, to the first 200 on it at the
     * management port (without one, the third figure is the second). Kills it after.
     *
     * @param variant which service this is, named in the failure
     * @throws IllegalStateException naming the variant and the run when it exits or does not answer in time; the
     *                               message quotes Spring Boot's failure description, the full output goes to
     *                               stderr
     */
    static double[] timeStart(String variant, String name, String classpath, String main, Map<String, String> env,
                              String readyPath) throws Exception {
        int port = FreePorts.next();
        int management = FreePorts.next();
        Map<String, String> e = new HashMap<>(env);
        e.put("SERVER_PORT", Integer.toString(port));
        e.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
        long t0 = System.nanoTime();
        try (ForkedJvm jvm = ForkedJvm.start(name, classpath, main, e, List.of(), false)) {
            long first = awaitOk(variant, jvm, URI.create("http://127.0.0.1:" + port + "/"), t0);
            long sessions = awaitOk(variant, jvm, URI.create("http://127.0.0.1:" + port + SESSION_PATH), t0);
            long ready = readyPath == null ? sessions
                    : awaitOk(variant, jvm, URI.create("http://127.0.0.1:" + management + readyPath), t0);
            return new double[] {first / 1e6, sessions / 1e6, ready / 1e6};
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

    /** Writes the anchors' class files into {@code dir}, so they run without this module's class path. */
    static Path classFiles(Path dir, Class<?>... classes) throws IOException {
        for (Class<?> c : classes) {
            String resource = c.getName().replace('.', '/') + ".class";
            Path file = dir.resolve(resource);
            Files.createDirectories(file.getParent());
            try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("class file " + resource + " not found");
                }
                Files.write(file, in.readAllBytes());
            }
        }
        return dir;
    }

    /**
     * Spring Session's and Spring Data Redis' jars from this module's own class path (its {@code lib/} folder when it
     * runs as {@code readiness-benchmarks.jar}), one per {@link #SPRING_SESSION_JARS} prefix.
     *
     * @throws IllegalStateException naming the jars that are missing
     */
    static List<String> springSessionJars() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            candidates.add(p);
            Path lib = p.getParent() == null ? null : p.getParent().resolve("lib");
            if (entry.endsWith(".jar") && lib != null && Files.isDirectory(lib)) {
                try (Stream<Path> jars = Files.list(lib)) {
                    jars.sorted().forEach(candidates::add);
                }
            }
        }
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String prefix : SPRING_SESSION_JARS) {
            candidates.stream().filter(j -> j.getFileName() != null && j.getFileName().toString().startsWith(prefix)
                            && j.getFileName().toString().endsWith(".jar")).findFirst()
                    .ifPresentOrElse(j -> found.add(j.toString()), () -> missing.add(prefix + "*.jar"));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the Spring Session anchor needs " + missing + " on the benchmarks' class"
                    + " path (readiness-benchmarks' dependencies); build it with benchmarks/run.sh");
        }
        return found;
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
