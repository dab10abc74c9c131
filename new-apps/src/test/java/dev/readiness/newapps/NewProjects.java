package dev.readiness.newapps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

/**
 * Writes brand-new Spring Boot applications the way a user starts one (the start.spring.io shape:
 * {@code spring-boot-starter-parent}, a Boot starter, a main class) into a directory outside the reactor, and
 * builds them all with one {@code mvn package} of their own against the local repository. Nothing of this build's
 * class path reaches them: they see readiness only as the artifacts {@code mvn install} put there. Each app has
 * the parent of its own {@link BootGeneration}: one aggregator holds apps of several Boot versions.
 */
final class NewProjects {

    /**
     * A new project on one Boot generation: what it depends on, readiness artifacts by name and Boot's starters
     * without a version (its parent manages them). Its name is unique among the apps of one build.
     */
    record App(String name, String source, BootGeneration boot, List<String> dependencies) {
        Path jar(Path root) {
            return root.resolve(name).resolve("target").resolve(name + ".jar");
        }
    }

    static final String WEB = "WebApplication";
    static final String BATCH = "BatchApplication";
    static final String GRPC = "GrpcApplication";
    static final String FLUX = "FluxApplication";
    /** The prefix of a BOM the new project imports: {@code bom:group:artifact:version}. */
    static final String BOM = "bom:";

    private final Path root;
    private final String readinessVersion;
    private List<App> written = List.of();

    NewProjects(Path root, String readinessVersion) {
        this.root = root;
        this.readinessVersion = readinessVersion;
    }

    /** A system property new-apps/pom.xml passes to Failsafe; fails naming it when it is missing. */
    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new AssertionError("system property " + name + " is not set: new-apps/pom.xml passes it to"
                    + " Failsafe (<systemPropertyVariables>); run the tests with mvn verify -pl new-apps");
        }
        return value;
    }

    Path root() {
        return root;
    }

    /** Writes every app and an aggregator that lists them (they do not depend on one another). */
    void write(List<App> apps) throws IOException {
        Set<String> names = new HashSet<>();
        for (App app : apps) {
            if (!names.add(app.name())) {
                throw new IllegalArgumentException("two apps are named " + app.name() + ": one aggregator build"
                        + " needs unique module names");
            }
        }
        Files.createDirectories(root);
        written = List.copyOf(apps);
        for (App app : apps) {
            Path dir = root.resolve(app.name());
            Path src = dir.resolve("src/main/java/com/example/demo");
            Files.createDirectories(src);
            Files.writeString(dir.resolve("pom.xml"), pom(app));
            Files.writeString(src.resolve(app.source() + ".java"), resource(app.source() + ".java.txt"));
        }
        Files.writeString(root.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>new-apps</artifactId>
                  <version>0.0.1-SNAPSHOT</version>
                  <packaging>pom</packaging>
                  <modules>
                %s
                  </modules>
                </project>
                """.formatted(apps.stream().map(a -> "    <module>" + a.name() + "</module>")
                .collect(Collectors.joining("\n"))));
    }

    private String pom(App app) {
        String deps = app.dependencies().stream().filter(d -> !d.startsWith(BOM)).map(this::dependency)
                .collect(Collectors.joining("\n"));
        String boms = app.dependencies().stream().filter(d -> d.startsWith(BOM)).map(d -> {
            String[] c = d.substring(BOM.length()).split(":");
            return "      <dependency><groupId>" + c[0] + "</groupId><artifactId>" + c[1] + "</artifactId><version>"
                    + c[2] + "</version><type>pom</type><scope>import</scope></dependency>";
        }).collect(Collectors.joining("\n"));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>org.springframework.boot</groupId>
                    <artifactId>spring-boot-starter-parent</artifactId>
                    <version>%s</version>
                    <relativePath/>
                  </parent>
                  <groupId>com.example</groupId>
                  <artifactId>%s</artifactId>
                  <version>0.0.1-SNAPSHOT</version>
                  <properties>
                    <java.version>17</java.version>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                %s
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                %s
                  </dependencies>
                  <build>
                    <finalName>%s</finalName>
                    <plugins>
                      <plugin>
                        <groupId>org.springframework.boot</groupId>
                        <artifactId>spring-boot-maven-plugin</artifactId>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(app.boot().version(), app.name(), boms, deps, app.name());
    }

    /**
     * {@code readiness-x} (ours, at this build's version), {@code spring-boot-starter-x} (Boot's, managed by the
     * parent), {@code spring-boot-starter-webmvc-without-tomcat}, or {@code group:artifact} for a library a BOM
     * manages ({@code bom:group:artifact:version}, imported the way start.spring.io does).
     */
    private String dependency(String name) {
        String[] coordinates = name.split(":");
        if (coordinates.length == 2) {
            return "    <dependency><groupId>" + coordinates[0] + "</groupId><artifactId>" + coordinates[1]
                    + "</artifactId></dependency>";
        }
        if (name.startsWith("readiness-")) {
            return "    <dependency><groupId>dev.readiness</groupId><artifactId>" + name + "</artifactId><version>"
                    + readinessVersion + "</version></dependency>";
        }
        if (name.endsWith("-without-tomcat")) {
            return "    <dependency><groupId>org.springframework.boot</groupId><artifactId>"
                    + name.substring(0, name.length() - "-without-tomcat".length()) + "</artifactId><exclusions>"
                    + "<exclusion><groupId>org.springframework.boot</groupId>"
                    + "<artifactId>spring-boot-starter-tomcat</artifactId></exclusion></exclusions></dependency>";
        }
        return "    <dependency><groupId>org.springframework.boot</groupId><artifactId>" + name
                + "</artifactId></dependency>";
    }

    /**
     * Builds every app with one Maven run of their own (online: a fresh machine has Boot's parent and plugins to
     * fetch), against {@code localRepository}. Fails with Maven's output when the build fails, and unless every
     * app's jar holds Spring Boot's jars of its own generation only.
     */
    void build(Path mavenHome, Path localRepository) throws IOException, InterruptedException {
        Path mvn = mavenHome.resolve("bin").resolve("mvn");
        Path log = root.resolve("build.log");
        List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-B", "-ntp", "package",
                "-Dmaven.repo.local=" + localRepository));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn package of the new applications ran past 15 minutes; " + log);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("mvn package of the new applications failed (" + p.exitValue() + "):\n"
                    + Files.readString(log));
        }
        for (App app : written) {
            requireBootJarsOf(app);
        }
    }

    /**
     * Fails unless every {@code spring-boot*} jar the app packaged has its generation's version: readiness'
     * artifacts import the Boot version they are built against, and a user's parent must win over it.
     */
    private void requireBootJarsOf(App app) throws IOException {
        String version = app.boot().version();
        List<String> boot;
        try (ZipFile jar = new ZipFile(app.jar(root).toFile())) {
            boot = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("BOOT-INF/lib/spring-boot") && n.endsWith(".jar"))
                    .map(n -> n.substring("BOOT-INF/lib/".length())).toList();
        }
        if (boot.stream().noneMatch(n -> n.equals("spring-boot-" + version + ".jar"))
                || !boot.stream().allMatch(n -> n.endsWith("-" + version + ".jar"))) {
            throw new AssertionError(app.name() + " should run on Spring Boot " + version + " only, its jar has "
                    + boot);
        }
    }

    /**
     * Fails unless every readiness artifact in the local repository is the one this build made, so that a run of
     * {@code mvn verify} without {@code install} cannot pass against an older install.
     */
    static void requireInstalled(Path reactorRoot, Path localRepository, String version, List<String> modules) {
        for (String module : modules) {
            String[] dirAndArtifact = module.split(":");
            Path built = reactorRoot.resolve(dirAndArtifact[0]).resolve("target")
                    .resolve(dirAndArtifact[1] + "-" + version + ".jar");
            Path installed = localRepository.resolve("dev/readiness").resolve(dirAndArtifact[1]).resolve(version)
                    .resolve(dirAndArtifact[1] + "-" + version + ".jar");
            if (!Files.isRegularFile(built)) {
                throw new AssertionError(built + " is missing: the new applications run after the reactor packaged it");
            }
            if (!Files.isRegularFile(installed) || !sha(built).equals(sha(installed))) {
                throw new AssertionError(installed + " is " + (Files.isRegularFile(installed) ? "not" : "missing, not")
                        + " the artifact this build made: run `mvn install` (./test.sh does) so that the brand-new"
                        + " applications are built against this build's artifacts");
            }
        }
    }

    private static String sha(Path file) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (var in = NewProjects.class.getResourceAsStream("/apps/" + name)) {
            if (in == null) {
                throw new IOException("no resource /apps/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> deps(String... names) {
        return Arrays.asList(names);
    }
}
