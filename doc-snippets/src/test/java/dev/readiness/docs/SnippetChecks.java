package dev.readiness.docs;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsProvider;
import dev.readiness.core.config.SettingsSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the fenced blocks of the docs by their marker, and returns what is wrong as {@code file:line: reason}
 * lines. The markers, each an HTML comment on the line right before the opening fence (invisible on GitHub):
 * see {@link Kind}.
 */
final class SnippetChecks {

    /** What a marker can say, with what the test does to a block so marked. */
    enum Kind {
        JAVA_STATEMENTS("java-statements", "compiled as the body of a method; the marker's further lines are"
                + " imports and fields/methods of the class around it (`DataSource dataSource;`)"),
        JAVA_MEMBERS("java-members", "compiled as the members of a class (methods, fields, nested types);"
                + " further lines as for java-statements"),
        JAVA_FILE("java-file", "compiled as a whole source file; further lines are imports"),
        PROPERTIES("properties", "read as a properties file: every readiness.* key is in the settings catalog"
                + " and its value is allowed"),
        YAML("yaml", "parsed as YAML (every document); readiness.* keys and READINESS_* variables named exist"),
        SHELL("shell", "`sh -n` syntax; the repository paths, -pl modules and dev.readiness classes it names"
                + " exist; readiness.* keys and READINESS_* variables named exist"),
        SHELL_RUN("shell-run", "run with sh -eu in an empty directory holding readiness-gc-tuning.jar, java on the"
                + " PATH; must exit 0 within 60 s (keep it short)"),
        XML_DEPENDENCY("xml-dependency", "parsed as XML; each dev.readiness dependency is an artifact of the BOM,"
                + " at this build's version when it names one"),
        XML("xml", "parsed as XML; the dev.readiness classes it names exist"),
        DOCKERFILE("dockerfile", "each instruction is a Dockerfile instruction, each RUN passes `sh -n`"),
        OUTPUT("output", "not checked: what a program prints, a log line, a table, a directory layout");

        final String marker;
        final String meaning;

        Kind(String marker, String meaning) {
            this.marker = marker;
            this.meaning = meaning;
        }

        static Kind of(String marker) {
            for (Kind k : values()) {
                if (k.marker.equals(marker)) {
                    return k;
                }
            }
            return null;
        }

        static String help() {
            return Stream.of(values()).map(k -> "  <!-- snippet: " + k.marker + " -->  " + k.meaning)
                    .collect(Collectors.joining("\n"));
        }
    }

    /** A readiness.* key; not a qualified Java or protobuf name such as readiness.samples.v1.Echo. */
    private static final Pattern DOTTED_KEY = Pattern.compile(
            "(?<![\\w.$/-])readiness\\.[a-z][a-z0-9-]*+(\\.[a-z0-9][a-z0-9-]*+)*+(?!\\.[A-Z])");
    private static final Pattern ENV_NAME = Pattern.compile("(?<![\\w$])READINESS_[A-Z0-9_]*[A-Z0-9]");
    private static final Pattern CLASS_NAME = Pattern.compile("\\bdev\\.readiness(\\.[a-z][a-z0-9]*)+\\.[A-Z]\\w*");
    private static final Pattern MODULE_LIST = Pattern.compile("-pl\\s+([\\w/,.-]+)");
    private static final Set<String> DOCKERFILE_INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE",
            "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
            "HEALTHCHECK", "SHELL");

    private final Path root;
    private final String version;
    private final List<Keys<?, ?>> settings = SettingsProvider.all(SnippetChecks.class.getClassLoader());
    private final Set<String> keyNames = new TreeSet<>();
    private final Set<String> envNames = new TreeSet<>();
    private String mainSources;

    SnippetChecks(Path root, String version) {
        this.root = root;
        this.version = version;
        for (Keys<?, ?> keys : settings) {
            for (Key<?> key : keys.keys()) {
                keyNames.add(key.name());
                envNames.add(key.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        }
    }

    /** Every problem of {@code snippets}, one line each, naming the file and line. */
    List<String> check(List<Snippet> snippets) {
        List<String> problems = new ArrayList<>();
        List<Snippet> java = new ArrayList<>();
        for (Snippet s : snippets) {
            Kind kind = s.kind() == null ? null : Kind.of(s.kind());
            if (kind == null) {
                problems.add(s.where() + ": a ```" + s.info() + " block "
                        + (s.kind() == null ? "without a marker" : "with the unknown marker '" + s.kind() + "'")
                        + "; put a marker (listed below) on the line right before its fence");
                continue;
            }
            switch (kind) {
                case JAVA_STATEMENTS, JAVA_MEMBERS, JAVA_FILE -> java.add(s);
                case PROPERTIES -> properties(s, problems);
                case YAML -> yaml(s, problems);
                case SHELL -> shell(s, problems);
                case SHELL_RUN -> run(s, problems);
                case XML_DEPENDENCY -> xml(s, problems);
                case XML -> {
                    if (parseXml(s, problems) != null) {
                        classes(s, problems);
                    }
                }
                case DOCKERFILE -> dockerfile(s, problems);
                case OUTPUT -> { }
            }
            if (kind != Kind.OUTPUT) {
                names(s, problems);
            }
        }
        problems.addAll(compile(java));
        return problems;
    }

    // --- Java ---------------------------------------------------------------------------------------------

    private record Unit(Snippet snippet, String name, String source, int firstBodyLine) {
    }

    private List<String> compile(List<Snippet> snippets) {
        if (snippets.isEmpty()) {
            return List.of();
        }
        String defaultImports = readinessPackages().stream().map(p -> "import " + p + ".*;")
                .collect(Collectors.joining(" "))
                + " import java.util.*; import java.util.concurrent.*; import java.time.*; import java.net.*;"
                + " import java.nio.file.*; import java.nio.charset.*;";
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            units.add(unit(snippets.get(i), i, defaultImports));
        }
        // A syntax error stops javac before it checks types anywhere in the task: compile again without the
        // snippets that failed until a pass fails no further one, so that every snippet's errors are found.
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        Map<JavaFileObject, Unit> byFile = new LinkedHashMap<>();
        Map<JavaFileObject, Unit> remaining = new LinkedHashMap<>();
        for (Unit u : units) {
            JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + u.name().replace('.', '/')
                    + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return u.source();
                }
            };
            byFile.put(file, u);
            remaining.put(file, u);
        }
        while (!remaining.isEmpty()) {
            List<Diagnostic<? extends JavaFileObject>> pass = javac(remaining.keySet());
            errors.addAll(pass);
            int before = remaining.size();
            pass.forEach(d -> remaining.remove(d.getSource()));
            if (remaining.size() == before) {
                break;
            }
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            Unit u = byFile.get(d.getSource());
            if (u == null) {
                problems.add("javac: " + d.getMessage(Locale.ROOT));
                continue;
            }
            long index = d.getLineNumber() - u.firstBodyLine();
            String where = index >= 0 && index < u.snippet().body().split("\n", -1).length
                    ? u.snippet().file() + ":" + u.snippet().lineOf((int) index)
                    : u.snippet().where() + " (in the marker's imports or declarations)";
            problems.add(where + ": does not compile as " + u.snippet().kind() + ": "
                    + d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
        }
        return problems;
    }

    private static List<Diagnostic<? extends JavaFileObject>> javac(Iterable<JavaFileObject> sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            Path out = Files.createTempDirectory("doc-snippets");
            try {
                List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                        out.toString(), "-proc:none", "-Xlint:none", "-nowarn");
                javac.getTask(null, files, diagnostics, options, null, sources).call();
            } finally {
                try (Stream<Path> walk = Files.walk(out)) {
                    walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    private static Unit unit(Snippet s, int index, String defaultImports) {
        String pkg = "snippets.s" + index;
        String name = "Snippet";
        List<String> imports = s.context().stream().filter(l -> l.startsWith("import ")).toList();
        List<String> members = s.context().stream().filter(l -> !l.startsWith("import ")).toList();
        StringBuilder src = new StringBuilder("package " + pkg + ";\n");
        src.append(defaultImports).append('\n');
        imports.forEach(i -> src.append(i).append('\n'));
        String body = s.body();
        int first;
        switch (Kind.of(s.kind())) {
            case JAVA_FILE -> {
                first = lines(src) + 1;
                src.append(body);
            }
            case JAVA_MEMBERS -> {
                src.append("class ").append(name).append(" {\n");
                members.forEach(m -> src.append(m).append('\n'));
                first = lines(src) + 1;
                src.append(body).append("}\n");
            }
            default -> {
                src.append("class ").append(name).append(" {\n");
                members.forEach(m -> src.append(m).append('\n'));
                src.append("void snippet() throws Exception {\n");
                first = lines(src) + 1;
                src.append(body).append("}\n}\n");
            }
        }
        return new Unit(s, pkg + "." + (Kind.of(s.kind()) == Kind.JAVA_FILE ? publicType(body, name) : name),
                src.toString(), first);
    }

    /** A whole file's top-level type, which names its source file. */
    private static String publicType(String body, String fallback) {
        Matcher m = Pattern.compile("(?m)^\\s*(?:public\\s+)?(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)")
                .matcher(body);
        return m.find() ? m.group(1) : fallback;
    }

    private static int lines(CharSequence text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    private Set<String> readinessPackages() {
        Set<String> packages = new TreeSet<>();
        for (String module : List.of("readiness-core", "health", "sessions", "gc-tuning", "grpc",
                "spring-boot-common", "spring-boot-autoconfigure", "testkit")) {
            Path src = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(src)) {
                walk.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("package-info.java"))
                        .map(p -> src.relativize(p.getParent()).toString().replace('/', '.'))
                        .forEach(packages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return packages;
    }

    // --- properties, YAML, names -------------------------------------------------------------------------

    private void properties(Snippet s, List<String> problems) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(s.body()));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(s.where() + ": not a properties file: " + e.getMessage());
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String key = name.replaceAll("\\[\\d+]$", "");
            if (key.startsWith("readiness.") && !keyNames.contains(key)) {
                problems.add(lineOf(s, name) + ": " + name + " is not a setting (the settings catalog, "
                        + "src/docs/settings.md, has no such key)");
            }
            values.merge(key, props.getProperty(name), (a, b) -> a + "," + b);
        }
        SettingsSource source = SettingsSource.of(values);
        for (Keys<?, ?> keys : settings) {
            if (keys.keys().stream().noneMatch(k -> values.containsKey(k.name()))) {
                continue; // a feature the snippet does not set: its required keys are not its business
            }
            try {
                keys.read(source);
            } catch (ReadinessConfigException e) {
                problems.add(lineOf(s, e.key() == null ? "" : e.key()) + ": " + e.getMessage());
            }
        }
    }

    private void yaml(Snippet s, List<String> problems) {
        try {
            for (Object ignored : new Yaml().loadAll(s.body())) {
                // parsing every document is the check
            }
        } catch (RuntimeException e) {
            problems.add(s.where() + ": not YAML: " + e.getMessage().lines().collect(Collectors.joining(" ")));
        }
    }

    /** readiness.* keys and READINESS_* variables named anywhere in a checked block exist. */
    private void names(Snippet s, List<String> problems) {
        Matcher keys = DOTTED_KEY.matcher(s.body());
        while (keys.find()) {
            String key = keys.group();
            String prefix = key + ".";
            if (!keyNames.contains(key) && keyNames.stream().noneMatch(k -> k.startsWith(prefix))) {
                problems.add(lineOf(s, key) + ": names " + key + ", which is neither a setting nor the prefix of"
                        + " settings in the catalog");
            }
        }
        Matcher env = ENV_NAME.matcher(s.body());
        while (env.find()) {
            String name = env.group();
            if (!envNames.contains(name) && !mainSources().contains(name)) {
                problems.add(lineOf(s, name) + ": names the variable " + name + ", which maps to no setting and"
                        + " which no module reads");
            }
        }
    }

    private String mainSources() {
        if (mainSources == null) {
            StringBuilder all = new StringBuilder();
            try (Stream<Path> walk = Files.walk(root, 20)) {
                walk.filter(p -> p.toString().contains("/src/main/") && !p.toString().contains("/target/")
                        && Files.isRegularFile(p)).forEach(p -> {
                            try {
                                all.append(Files.readString(p, StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                // a binary resource: nothing to read
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            mainSources = all.toString();
        }
        return mainSources;
    }

    // --- shell, XML, Dockerfile --------------------------------------------------------------------------

    private void shell(Snippet s, List<String> problems) {
        String syntax = sh(s.body());
        if (syntax != null) {
            problems.add(s.where() + ": not valid sh (sh -n): " + syntax);
        }
        for (String token : s.body().split("[\\s:=\"'()`$;|&<>]+")) {
            String path = token.startsWith("./") ? token.substring(2) : token;
            if (!path.contains("/") || path.startsWith("/") || path.contains("*") || path.contains("{")) {
                continue;
            }
            String first = path.substring(0, path.indexOf('/'));
            if (!Files.exists(root.resolve(first)) || first.equals("target")) {
                continue; // not a path into the repository
            }
            // build output (module/target, module/target/x.jar) may not exist yet: the module that makes it must
            int built = (path + "/").indexOf("/target/");
            String source = built >= 0 ? path.substring(0, built) : path;
            if (!Files.exists(root.resolve(source))) {
                problems.add(lineOf(s, token) + ": names " + source + ", which is not in the repository");
            }
        }
        Matcher modules = MODULE_LIST.matcher(s.body());
        while (modules.find()) {
            for (String module : modules.group(1).split(",")) {
                if (!Files.isRegularFile(root.resolve(module).resolve("pom.xml"))) {
                    problems.add(lineOf(s, module) + ": -pl " + module + " is not a module of the build");
                }
            }
        }
        classes(s, problems);
    }

    /** The dev.readiness classes {@code s} names exist in some module's sources. */
    private void classes(Snippet s, List<String> problems) {
        Matcher classes = CLASS_NAME.matcher(s.body());
        while (classes.find()) {
            String file = classes.group().replace('.', '/') + ".java";
            try (Stream<Path> walk = Files.walk(root, 2)) {
                boolean found = walk.filter(Files::isDirectory).anyMatch(d ->
                        Files.isRegularFile(d.resolve("src/main/java").resolve(file))
                                || Files.isRegularFile(d.resolve("src/test/java").resolve(file)));
                if (!found) {
                    problems.add(lineOf(s, classes.group()) + ": names the class " + classes.group()
                            + ", which no module holds");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void run(Snippet s, List<String> problems) {
        Path gcTuning = gcTuningJar();
        if (gcTuning == null) {
            System.out.println("DocSnippetsTest: " + s.where() + " (shell-run) not run: no readiness-gc-tuning jar"
                    + " on the class path or in gc-tuning/target (mvn package builds it)");
            return;
        }
        try {
            Path dir = Files.createTempDirectory("doc-snippet-run");
            try {
                Files.copy(gcTuning, dir.resolve("readiness-gc-tuning.jar"));
                ProcessBuilder pb = new ProcessBuilder("sh", "-eu").directory(dir.toFile()).redirectErrorStream(true);
                pb.environment().keySet().removeIf(k -> k.startsWith("READINESS_"));
                pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                        + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
                Process p = pb.start();
                p.getOutputStream().write(s.body().getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    problems.add(s.where() + ": did not finish within 60 s");
                } else if (p.exitValue() != 0) {
                    problems.add(s.where() + ": exited with " + p.exitValue() + " (shell-run):\n" + out.strip());
                }
            } finally {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The packaged gc-tuning jar (its CLI holds a relocated copy of a core class that its classes lack). */
    private Path gcTuningJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName().toString().startsWith("readiness-gc-tuning-") && entry.endsWith(".jar")) {
                return p;
            }
        }
        Path built = root.resolve("gc-tuning/target/readiness-gc-tuning-" + version + ".jar");
        return Files.isRegularFile(built) ? built : null;
    }

    private static Document parseXml(Snippet s, List<String> problems) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                    ("<snippet>" + s.body() + "</snippet>").getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            problems.add(s.where() + ": not XML: " + e.getMessage());
            return null;
        }
    }

    private void xml(Snippet s, List<String> problems) {
        Document doc = parseXml(s, problems);
        if (doc == null) {
            return;
        }
        String bom;
        try {
            bom = Files.readString(root.resolve("bom/pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NodeList deps = doc.getElementsByTagName("dependency");
        if (deps.getLength() == 0) {
            problems.add(s.where() + ": an xml-dependency block holds no <dependency>");
        }
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            String group = text(dep, "groupId");
            String artifact = text(dep, "artifactId");
            String v = text(dep, "version");
            if (!"dev.readiness".equals(group)) {
                continue;
            }
            if (artifact == null || !bom.contains("<artifactId>" + artifact + "</artifactId>")) {
                problems.add(lineOf(s, String.valueOf(artifact)) + ": dev.readiness:" + artifact
                        + " is not an artifact of the BOM (bom/pom.xml)");
            }
            if (v != null && !v.equals(version)) {
                problems.add(lineOf(s, v) + ": version " + v + " is not this build's (" + version + ")");
            }
        }
    }

    private static String text(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    private void dockerfile(Snippet s, List<String> problems) {
        String joined = s.body().replaceAll("\\\\\n", " ");
        for (String line : joined.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String instruction = l.split("\\s+", 2)[0];
            if (!DOCKERFILE_INSTRUCTIONS.contains(instruction.toUpperCase(Locale.ROOT))) {
                problems.add(lineOf(s, instruction) + ": " + instruction + " is not a Dockerfile instruction");
            } else if (instruction.equalsIgnoreCase("RUN") && !l.substring(3).strip().startsWith("[")) {
                String syntax = sh(l.substring(3));
                if (syntax != null) {
                    problems.add(lineOf(s, l.substring(0, Math.min(20, l.length()))) + ": RUN is not valid sh: "
                            + syntax);
                }
            }
        }
    }

    /** {@code sh -n}'s complaint about {@code script}, or null when it has none. */
    private static String sh(String script) {
        try {
            Process p = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
            p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "sh -n did not finish within 10 s";
            }
            return p.exitValue() == 0 ? null : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code file:line} of the first line of {@code s} that holds {@code needle}, else of its fence. */
    private static String lineOf(Snippet s, String needle) {
        String[] lines = s.body().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!needle.isEmpty() && lines[i].contains(needle)) {
                return s.file() + ":" + s.lineOf(i);
            }
        }
        return s.where();
    }
}
