package dev.readiness.newapps;

import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new service the way a team starts one: {@code mvn archetype:generate} from the installed
 * {@code readiness-archetype} into a directory outside the reactor, its own {@code mvn verify} (which runs the
 * generated ServiceIT against its jar), then its jar started as a process and probed over the network. Both
 * Maven runs are offline, against the local repository this build installed into: generating needs nothing
 * else, and the build falls back to online, saying so, only when the repository lacks one of Spring Boot's
 * managed artifacts (a fresh machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewArchetypeProjectIT {

    private static final String ARCHETYPE_PLUGIN = "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate";
    private static final NoRetryHttpClient HTTP = new NoRetryHttpClient(Duration.ofSeconds(2), false);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Path dir;
    private Path localRepository;
    private Path mvn;
    private String version;

    @BeforeAll
    void prepare() throws IOException {
        Path reactor = Path.of(NewProjects.property("readiness.root")).toAbsolutePath().normalize();
        localRepository = Path.of(NewProjects.property("readiness.localRepository"));
        version = NewProjects.property("readiness.version");
        mvn = Path.of(NewProjects.property("maven.home")).resolve("bin").resolve("mvn");
        NewProjects.requireInstalled(reactor, localRepository, version, List.of(
                "readiness-archetype:readiness-archetype", "readiness-core:readiness-core",
                "health:readiness-health", "sessions:readiness-sessions", "gc-tuning:readiness-gc-tuning",
                "spring-boot-autoconfigure:readiness-spring-boot-autoconfigure",
                "spring-boot-starter:readiness-spring-boot-starter", "testkit:readiness-testkit"));
        dir = Path.of(NewProjects.property("archetype.dir"));
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    @Test
    void generatesANewServiceThatBuildsTestsItselfAndServes() throws Exception {
        Result generated = run(dir, true, generate("com.example.orders", "orders-service", "com.example.orders"));
        assertThat(generated.exit()).as(generated.output()).isZero();
        Path project = dir.resolve("orders-service");
        assertThat(project.resolve("src/main/java/com/example/orders/SpringBootService.java")).content()
                .startsWith("package com.example.orders;");
        assertThat(project.resolve("src/test/java/com/example/orders/ServiceIT.java")).exists();
        assertThat(project.resolve("src/test/java/com/example/orders/DevSpringBootService.java")).exists();
        assertThat(project.resolve("Dockerfile")).content().contains("target/orders-service.jar");
        assertThat(project.resolve("k8s/orders-service/kustomization.yaml")).content()
                .contains("namePrefix: orders-service-", "../base", "newName: orders-service");
        assertThat(project.resolve("k8s/base/deployment.yaml")).exists();
        assertThat(project.resolve("pom.xml")).content().contains("<groupId>com.example.orders</groupId>",
                "<artifactId>orders-service</artifactId>", "<readiness.version>" + version + "</readiness.version>");
        try (Stream<Path> files = Files.walk(project)) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(f -> assertThat(Files.readString(f))
                    .as(f.toString()).doesNotContain("dev.readiness.samples", "spring-boot-service", "symbol_",
                            "#set"));
        }

        Result built = run(project, true, List.of("-B", "-ntp", "verify"));
        if (built.exit() != 0 && built.output().contains("has not been downloaded from it before")) {
            System.out.println("NewArchetypeProjectIT: the local repository lacks some of Spring Boot's managed"
                    + " artifacts for the generated project; building it online");
            built = run(project, false, List.of("-B", "-ntp", "-nsu", "verify"));
        }
        assertThat(built.exit()).as(built.output()).isZero();
        // The generated ServiceIT ran against the generated jar, and passed.
        assertThat(built.output()).contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0");

        try (RedisServer redis = RedisServer.start()) {
            int port = FreePorts.next();
            int management = FreePorts.next();
            Path log = project.resolve("target/run.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-jar", project.resolve("target/orders-service.jar").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("READINESS_") || k.startsWith("SERVER_"));
            pb.environment().putAll(Map.of("SERVER_PORT", Integer.toString(port),
                    "READINESS_MANAGEMENT_PORT", Integer.toString(management),
                    "READINESS_SESSIONS_REDIS_URI", redis.uri(), "READINESS_SESSIONS_COOKIE_SECURE", "false"));
            Process app = pb.start();
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .failFast("the service exited", () -> !app.isAlive())
                        .until(() -> status(management, "/readyz") == 200);
                assertThat(HTTP.get(port, "/", TIMEOUT).text()).isEqualTo("hello from orders-service");
                NoRetryHttpClient.Response first = HTTP.get(port, "/session/counter", TIMEOUT);
                assertThat(first.text()).isEqualTo("1");
                String cookie = first.header("Set-Cookie").split(";", 2)[0];
                assertThat(HTTP.get(port, "/session/counter", Map.of("Cookie", cookie), TIMEOUT).text())
                        .isEqualTo("2");
                assertThat(status(management, "/livez")).isEqualTo(200);
                app.destroy();
                assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(app.exitValue()).as(Files.readString(log)).isZero();
            } finally {
                if (app.isAlive()) {
                    app.destroyForcibly().waitFor();
                }
            }
        }
    }

    @Test
    void refusesANameThatIsNotADnsLabelAndLeavesNothing() throws Exception {
        Result refused = run(dir, true, generate("com.example", "Orders_Service", "com.example.orders"));
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("artifactId 'Orders_Service' is not a DNS label",
                "Nothing was generated.");
        assertThat(dir.resolve("Orders_Service")).doesNotExist();
    }

    private List<String> generate(String groupId, String artifactId, String pkg) {
        return List.of("-B", "-ntp", ARCHETYPE_PLUGIN, "-DarchetypeGroupId=dev.readiness",
                "-DarchetypeArtifactId=readiness-archetype", "-DarchetypeVersion=" + version,
                "-DgroupId=" + groupId, "-DartifactId=" + artifactId, "-Dversion=1.0.0-SNAPSHOT",
                "-Dpackage=" + pkg, "-DinteractiveMode=false");
    }

    private record Result(int exit, String output) {
    }

    private Result run(Path in, boolean offline, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-Dmaven.repo.local=" + localRepository));
        if (offline) {
            cmd.add("-o");
        }
        cmd.addAll(args);
        Path log = Files.createTempFile(dir, "mvn-", ".log");
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", cmd) + " ran past 10 minutes; " + log);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static int status(int port, String path) {
        try {
            return HTTP.get(port, path, TIMEOUT).status();
        } catch (IOException e) {
            return -1;
        }
    }

}
