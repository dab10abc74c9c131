package dev.readiness.samples.k8s;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java samples/NewService.java}, the one command that starts a new service from a sample, run as the
 * JDK runs it (source-file mode) on a copy of the repository's samples and manifests.
 */
class NewServiceTest {

    static final Path SAMPLES = Path.of(System.getProperty("sample.samples.dir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path root;

    @BeforeEach
    void copyRepository() throws IOException {
        copy(SAMPLES, root.resolve("samples"));
        copy(KubernetesManifestsTest.K8S, root.resolve("src/k8s"));
    }

    @Test
    void createsAServletServiceWithItsOwnPackageNameModuleAndOverlay() throws Exception {
        // Exactly the documented command: the JDK's source-file mode, no build.
        Result r = runAsTheDocsSay("--from", "servlet-service", "--name", "orders-service", "--package", "com.example.orders");
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.output).contains("created samples/orders-service (package com.example.orders)");

        Path service = root.resolve("samples/orders-service");
        assertThat(service.resolve("src/main/java/com/example/orders/ServletService.java")).exists();
        // The end-to-end tests come along: the samples' contract from the shared kit, aimed at the new service.
        assertThat(Files.readString(service.resolve("src/test/java/com/example/orders/ServletServiceIT.java")))
                .contains("extends AbstractSampleServiceIT").contains("\"hello from orders-service\"");
        assertThat(service.resolve("src/test/java/com/example/orders/DatabaseReadinessIT.java")).exists();
        assertThat(service.resolve("target")).doesNotExist();
        assertThat(service.resolve("src/test/java/dev/readiness/samples/k8s/NewServiceTest.java")).doesNotExist();
        assertThat(service.resolve("src/test/java/dev/readiness/samples/k8s/KubernetesManifestsTest.java")).exists();
        assertThat(Files.readString(service.resolve("pom.xml"))).contains("<artifactId>orders-service</artifactId>")
                .contains("<sample.main-class>com.example.orders.ServletService</sample.main-class>")
                .contains("<artifactId>sample-e2e</artifactId>");
        assertThat(Files.readString(service.resolve("Dockerfile"))).contains("-pl samples/orders-service -am")
                .contains("target/orders-service.jar");
        try (Stream<Path> files = Files.walk(service)) {
            assertThat(files.filter(Files::isRegularFile)).allSatisfy(f -> assertThat(Files.readString(f))
                    .as(f.toString()).doesNotContain("dev.readiness.samples.servlet").doesNotContain("servlet-service"));
        }
        assertThat(Files.readString(root.resolve("samples/pom.xml")))
                .contains("    <module>spring-boot-service</module>\n    <module>orders-service</module>\n  </modules>");

        List<java.util.Map<String, Object>> rendered = Kustomize.build(root.resolve("src/k8s/orders-service"));
        assertThat(ManifestRules.check(rendered)).isEmpty();
        assertThat(Yaml.map(rendered.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow()
                .get("metadata")).get("name")).isEqualTo("orders-service-service");
    }

    @Test
    void createsASpringBootService() throws Exception {
        Result r = run("--from", "spring-boot-service", "--name", "billing", "--package", "com.example.billing");
        assertThat(r.status).as(r.output).isZero();
        Path service = root.resolve("samples/billing");
        assertThat(service.resolve("src/main/java/com/example/billing/SpringBootService.java")).exists();
        assertThat(Files.readString(service.resolve("src/main/resources/application.properties")))
                .contains("spring.application.name=billing");
    }

    @Test
    void refusesBadNamesAndPackagesAndNeverOverwrites() throws Exception {
        assertThat(run("--from", "servlet-service", "--name", "Orders Service", "--package", "com.example"))
                .satisfies(r -> {
                    assertThat(r.status).isEqualTo(2);
                    assertThat(r.output).contains("--name must be a new lower-case name").contains("'Orders Service'");
                });
        assertThat(run("--from", "servlet-service", "--name", "orders", "--package", "com..example"))
                .satisfies(r -> assertThat(r.output).contains("--package must be a Java package").contains("'com..example'"));
        assertThat(run("--from", "quarkus-service", "--name", "orders", "--package", "com.example"))
                .satisfies(r -> assertThat(r.output).contains("--from must be one of"));
        assertThat(run("--from", "servlet-service", "--name", "spring-boot-service", "--package", "com.example"))
                .satisfies(r -> assertThat(r.status).isEqualTo(2));
        String pom = Files.readString(root.resolve("samples/pom.xml"));

        assertThat(run("--from", "servlet-service", "--name", "orders", "--package", "com.example").status).isZero();
        Result again = run("--from", "servlet-service", "--name", "orders", "--package", "com.other");
        assertThat(again.status).isNotZero();
        assertThat(again.output).contains("orders exists");
        assertThat(root.resolve("samples/orders/src/main/java/com/example/ServletService.java")).exists();
        assertThat(root.resolve("samples/orders/src/main/java/com/other")).doesNotExist();
        assertThat(Files.readString(root.resolve("samples/pom.xml"))).isEqualTo(
                pom.replace("\n  </modules>", "\n    <module>orders</module>\n  </modules>"));
    }

    record Result(int status, String output) {
    }

    private static Method run;

    /** Compiled once, run in this JVM: the JDK's source-file mode takes seconds per run on a busy machine. */
    @BeforeAll
    static void compile(@TempDir Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", classes.toString(), SAMPLES.resolve("NewService.java").toString()))
                .isZero();
        Class<?> type = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null).loadClass("NewService");
        run = type.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
    }

    private Result run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = (int) run.invoke(null, all.toArray(String[]::new), print, print);
        return new Result(status, out.toString(StandardCharsets.UTF_8));
    }

    private Result runAsTheDocsSay(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                root.resolve("samples/NewService.java").toString(), "--root", root.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && rel.getName(0).toString().equals("target") || rel.toString().contains("/target")) {
                    continue;
                }
                Path out = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
