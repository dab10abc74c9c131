/*
 * Starts a new service from a sample, in one command, from the repository root:
 *
 *   java samples/NewService.java --from spring-boot-service --name orders-service --package com.example.orders
 *   java samples/NewService.java --from servlet-service     --name billing-service --package com.example.billing
 *
 * Copies samples/<from> to samples/<name> (sources, tests, Dockerfile; never target/), moves the Java package,
 * renames the service everywhere, adds the module to samples/pom.xml, and copies the Kubernetes overlay to
 * src/k8s/<name>. Then: mvn -pl samples/<name> -am verify. Runs with the JDK alone (source-file mode).
 * Option --root <dir> works on another checkout (tests use it). Nothing is overwritten: an existing
 * target directory is an error.
 */

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public final class NewService {

    static final Map<String, String> SAMPLE_PACKAGES = Map.of(
            "spring-boot-service", "dev.readiness.samples.boot",
            "servlet-service", "dev.readiness.samples.servlet");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}[a-z0-9]");
    static final Pattern PACKAGE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Exit status: 0 created, 1 the target exists or a file could not be written, 2 bad arguments. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            String problem = generate(args, out);
            if (problem == null) {
                return 0;
            }
            err.println("NewService: " + problem);
            err.println("usage: java samples/NewService.java --from spring-boot-service|servlet-service"
                    + " --name <service-name> --package <java.package> [--root <repository root>]");
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("NewService: " + e);
            return 1;
        }
    }

    /** Creates the service; returns the problem with the arguments instead, when there is one. */
    private static String generate(String[] args, PrintStream out) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                return "unexpected argument '" + args[i] + "'";
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        String from = opts.getOrDefault("from", "spring-boot-service");
        String name = opts.get("name");
        String pkg = opts.get("package");
        Path root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
        if (!SAMPLE_PACKAGES.containsKey(from)) {
            return "--from must be one of " + SAMPLE_PACKAGES.keySet() + ", was '" + from + "'";
        }
        if (name == null || !NAME.matcher(name).matches() || SAMPLE_PACKAGES.containsKey(name)) {
            return "--name must be a new lower-case name like orders-service (letters, digits, '-'), was '" + name + "'";
        }
        if (pkg == null || !PACKAGE.matcher(pkg).matches()) {
            return "--package must be a Java package like com.example.orders, was '" + pkg + "'";
        }
        if (!Files.isRegularFile(root.resolve("samples").resolve(from).resolve("pom.xml"))) {
            return root + " is not the repository root: samples/" + from + "/pom.xml is missing";
        }
        new NewService(root, from, name, pkg).create(out);
        return null;
    }

    private final Path root;
    private final String from;
    private final String name;
    private final String fromPackage;
    private final String pkg;

    private NewService(Path root, String from, String name, String pkg) {
        this.root = root;
        this.from = from;
        this.name = name;
        this.fromPackage = SAMPLE_PACKAGES.get(from);
        this.pkg = pkg;
    }

    private void create(PrintStream out) throws IOException {
        Path source = root.resolve("samples").resolve(from);
        Path target = root.resolve("samples").resolve(name);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target + " exists; choose another --name");
        }
        String fromPath = fromPackage.replace('.', '/');
        String toPath = pkg.replace('.', '/');
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !source.relativize(p).startsWith("target"))
                    // The generator's own test stays with the sample it tests.
                    .filter(p -> !p.getFileName().toString().equals("NewServiceTest.java")).toList();
        }
        for (Path file : files) {
            String relative = source.relativize(file).toString().replace('\\', '/').replace(fromPath, toPath);
            Path copy = target.resolve(relative);
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, rewrite(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
        addModule(root.resolve("samples/pom.xml"));
        Path overlay = root.resolve("src/k8s").resolve(from);
        if (Files.isRegularFile(overlay.resolve("kustomization.yaml"))) {
            // The kustomization and the patch files it names.
            Path copies = root.resolve("src/k8s").resolve(name);
            Files.createDirectories(copies);
            try (Stream<Path> list = Files.list(overlay)) {
                for (Path file : list.filter(Files::isRegularFile).toList()) {
                    Files.writeString(copies.resolve(file.getFileName()),
                            rewrite(Files.readString(file)).replace("readiness/" + name, name));
                }
            }
        }
        out.println("created samples/" + name + " (package " + pkg + ") from samples/" + from
                + " and its overlay src/k8s/" + name);
        out.println("build and test it:  mvn -B -pl samples/" + name + " -am verify");
        out.println("run it:             java -jar samples/" + name + "/target/" + name + ".jar");
    }

    private String rewrite(String text) {
        return text.replace(fromPackage, pkg).replace(from, name);
    }

    private void addModule(Path pom) throws IOException {
        String text = Files.readString(pom);
        if (!text.contains("<module>" + from + "</module>") || !text.contains("\n  </modules>")) {
            throw new IllegalStateException(pom + " does not list <module>" + from + "</module>");
        }
        Files.writeString(pom, text.replace("\n  </modules>", "\n    <module>" + name + "</module>\n  </modules>"));
    }
}
