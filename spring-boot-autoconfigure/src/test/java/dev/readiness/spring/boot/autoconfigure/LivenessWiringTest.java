package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.check.DependencyCheck;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.testkit.arch.ReadinessArchRules;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every way we found to put a check that reaches outside the process into liveness, written as an application would
 * write it and compiled here with javac against this module's test class path (readiness-core and the starter):
 * which ones the compiler refuses, with its diagnostic; which compile and are refused at registration or at start
 * with the registry's reason; and the one that neither the compiler nor the registry can see (a LocalCheck whose
 * body does I/O), which only the ArchUnit rule catches, and only in a named class.
 */
class LivenessWiringTest {

    private static final String IMPORTS = "import dev.readiness.core.check.*;\n"
            + "import dev.readiness.core.probe.*;\n"
            + "import dev.readiness.spring.boot.autoconfigure.*;\n"
            + "import javax.sql.DataSource;\n"
            + "import java.sql.*;\n"
            + "import java.time.Duration;\n";

    private final HealthRegistry registry = HealthRegistry.create();
    private final List<Path> outputs = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        registry.close();
        for (Path p : outputs) {
            try (var files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void theRightWaysCompileSoTheRefusalsBelowAreTheCompilersVerdictOnTheCheckNotOnTheHarness() {
        Compiled c = compile("""
                public class Caller {
                    CheckResult heap() { return CheckResult.of(Runtime.getRuntime().freeMemory() > 0, "no heap"); }
                    public static void wire(HealthRegistry registry, DataSource dataSource, DependencyCheck redis) {
                        registry.liveness("lambda", () -> CheckResult.up());
                        registry.liveness("reference", new Caller()::heap);
                        CheckRegistration.liveness("registration", () -> CheckResult.up()).registerWith(registry);
                        registry.readiness("redis", redis);
                        registry.startup("redis", redis);
                    }
                }
                """);
        assertThat(c.errors()).isEmpty();
        c.wire(registry);
        assertThat(registry.checks()).extracting(s -> s.probe() + ":" + s.name()).containsExactly(
                "LIVENESS:lambda", "LIVENESS:reference", "LIVENESS:registration", "READINESS:redis", "STARTUP:redis");
    }

    @Test
    void everyWayToHandLivenessADependencyCheckDirectlyIsACompileError() {
        Map<String, String[]> refused = new LinkedHashMap<>();
        refused.put("registry.liveness(\"redis\", redis);",
                new String[] {"DependencyCheck cannot be converted to", "LocalCheck"});
        refused.put("registry.liveness(\"redis\", redis, CheckOptions.defaults());",
                new String[] {"DependencyCheck cannot be converted to", "LocalCheck"});
        refused.put("registry.liveness(\"redis\", timeout -> CheckResult.up());",
                new String[] {"incompatible parameter types in lambda expression"});
        refused.put("registry.liveness(\"db\", () -> CheckResult.of(dataSource.getConnection().isValid(1), \"no\"));",
                new String[] {"unreported exception java.sql.SQLException"});
        refused.put("registry.liveness(\"redis\", redis::check);",
                new String[] {"invalid method reference"});
        refused.put("registry.liveness(\"db\", Caller::ping);",
                new String[] {"incompatible thrown types java.sql.SQLException in functional expression"});
        refused.put("registry.liveness(\"redis\", new DependencyCheck() {"
                        + " public CheckResult check(Duration t) { return CheckResult.up(); } });",
                new String[] {"cannot be converted to", "LocalCheck"});
        refused.put("registry.liveness(\"both\", (LocalCheck & DependencyCheck) () -> CheckResult.up());",
                new String[] {"multiple non-overriding abstract methods"});
        refused.put("registry.register(Probe.LIVENESS, \"redis\", redis, CheckOptions.defaults());",
                new String[] {"register(", "has private access in dev.readiness.core.probe.HealthRegistry"});
        refused.put("CheckRegistration.liveness(\"redis\", redis);",
                new String[] {"DependencyCheck cannot be converted to", "LocalCheck"});
        refused.put("new CheckRegistration(Probe.LIVENESS, \"redis\", redis, null);",
                new String[] {"CheckRegistration(", "has private access"});
        refused.put("CheckRegistration.ofBean(Probe.LIVENESS, \"redis\", redis);",
                new String[] {"ofBean(", "is not public in dev.readiness.spring.boot.autoconfigure.CheckRegistration"});

        for (Map.Entry<String, String[]> e : refused.entrySet()) {
            List<String> errors = compile("public class Caller {\n"
                    + "    static CheckResult ping(DataSource ds) throws SQLException {"
                    + " return CheckResult.of(ds.getConnection().isValid(1), \"no\"); }\n"
                    + "    static CheckResult ping() throws SQLException { return ping(null); }\n"
                    + "    public static void wire(HealthRegistry registry, DataSource dataSource, DependencyCheck redis) {\n"
                    + "        " + e.getKey() + "\n"
                    + "    }\n"
                    + "}\n").errors();
            System.out.printf("does not compile: %s%n    javac: %s%n", e.getKey(),
                    String.join(" | ", errors).replace('\n', ' '));
            assertThat(errors).as(e.getKey()).isNotEmpty()
                    .allSatisfy(error -> assertThat(error).as(e.getKey()).contains(e.getValue()));
        }
    }

    @Test
    void aClassThatIsBothKindsCompilesAndIsRefusedAtRegistrationWithTheReason() {
        // Check is sealed, but LocalCheck and DependencyCheck are non-sealed so that users can implement them, so
        // one class can implement both. An anonymous class cannot (it has one supertype): a named one can.
        Compiled c = compile("""
                public class Caller {
                    static final class Both implements LocalCheck, DependencyCheck {
                        public CheckResult check() { return CheckResult.up(); }
                        public CheckResult check(Duration timeout) { return CheckResult.up(); }
                    }
                    public static void wire(HealthRegistry registry, DataSource dataSource, DependencyCheck redis) {
                        registry.liveness("both", new Both());
                    }
                    public static void viaRegistration(HealthRegistry registry) {
                        CheckRegistration.liveness("both", new Both()).registerWith(registry);
                    }
                }
                """);
        assertThat(c.errors()).isEmpty();
        assertThatThrownBy(() -> c.wire(registry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check 'both' (Caller$Both) is a DependencyCheck and cannot be registered for"
                        + " liveness")
                .hasMessageContaining("restarts every replica at once");
        assertThatThrownBy(() -> c.call("viaRegistration", registry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be registered for liveness");
        assertThat(registry.checks()).isEmpty();
    }

    @Test
    void aDependencyCheckBeanAnnotatedForLivenessCompilesAndFailsTheStartWithTheReason() {
        Compiled c = compile("""
                @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
                public class Caller {
                    @org.springframework.context.annotation.Bean
                    @LivenessCheck
                    DependencyCheck redisPing() { return timeout -> CheckResult.up(); }
                }
                """);
        assertThat(c.errors()).isEmpty();
        new ApplicationContextRunner(() -> {
            var context = new org.springframework.context.annotation.AnnotationConfigApplicationContext();
            context.setClassLoader(c.loader());
            return context;
        }).withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                        ReadinessAutoConfiguration.class))
                .withUserConfiguration(c.type())
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof InvalidCheckException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).as("the start fails with the starter's InvalidCheckException")
                            .isNotNull();
                    assertThat(failure.getCause()).hasMessageContaining("check 'redisPing'")
                            .hasMessageContaining("is a DependencyCheck and cannot be registered for liveness")
                            .hasMessageContaining("Register it for readiness instead");
                });
    }

    @Test
    void aCastCompilesAndFailsAtTheCastBeforeAnythingIsRegistered() {
        // The compiler allows a cast between two interfaces; the JVM refuses it, so nothing reaches the registry.
        Compiled c = compile("""
                public class Caller {
                    public static void wire(HealthRegistry registry, DataSource dataSource, DependencyCheck redis) {
                        registry.liveness("redis", (LocalCheck) redis);
                    }
                }
                """);
        assertThat(c.errors()).isEmpty();
        DependencyCheck redis = timeout -> dev.readiness.core.check.CheckResult.up();
        assertThatThrownBy(() -> c.call("wire", registry, null, redis)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("dev.readiness.core.check.LocalCheck");
        assertThat(registry.checks()).isEmpty();
    }

    @Test
    void aLocalCheckThatDoesJdbcInsideCompilesAndRegistersAndOnlyTheArchRuleCatchesIt() {
        // The limit of the types: they say what a check is, not what its body does. A lambda or class that catches
        // its own SQLException is a LocalCheck. ReadinessArchRules fails the build over a named class; over a
        // lambda it sees only the declaring class, which is not a LocalCheck.
        Compiled c = compile("""
                public class Caller {
                    public static final class JdbcLiveness implements LocalCheck {
                        private final DataSource dataSource;
                        JdbcLiveness(DataSource dataSource) { this.dataSource = dataSource; }
                        public CheckResult check() {
                            try (Connection connection = dataSource.getConnection()) {
                                return CheckResult.of(connection.isValid(1), "invalid");
                            } catch (SQLException e) {
                                return CheckResult.down(e);
                            }
                        }
                    }
                    public static void wire(HealthRegistry registry, DataSource dataSource, DependencyCheck redis) {
                        registry.liveness("db-lambda", () -> {
                            try (Connection connection = dataSource.getConnection()) {
                                return CheckResult.of(connection.isValid(1), "invalid");
                            } catch (SQLException e) {
                                return CheckResult.down(e);
                            }
                        });
                        registry.liveness("db-class", new JdbcLiveness(dataSource));
                    }
                }
                """);
        assertThat(c.errors()).isEmpty();
        c.wire(registry);
        assertThat(registry.checks()).extracting(s -> s.probe() + ":" + s.name())
                .containsExactly("LIVENESS:db-lambda", "LIVENESS:db-class");

        var classes = new ClassFileImporter().importPath(c.output());
        assertThatThrownBy(() -> ReadinessArchRules.LIVENESS_CHECKS_STAY_LOCAL.allowEmptyShould(false).check(classes))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Caller$JdbcLiveness")
                .hasMessageContaining("java.sql.Connection")
                .hasMessageNotContaining("lambda$wire");
    }

    // ------------------------------------------------------------------ compiling callers

    private record Compiled(List<String> errors, ClassLoader loader, Path output) {

        Class<?> type() {
            try {
                return Class.forName("Caller", true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        void wire(HealthRegistry registry) {
            DependencyCheck redis = timeout -> dev.readiness.core.check.CheckResult.up();
            call("wire", registry, null, redis);
        }

        /** Calls a static method of the compiled {@code Caller}, rethrowing what it threw. */
        void call(String method, Object... args) {
            for (Method m : type().getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                    try {
                        m.invoke(null, args);
                        return;
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof RuntimeException r) {
                            throw r;
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            fail("Caller has no method %s with %d parameters", method, args.length);
        }
    }

    /** Compiles {@code Caller} (the imports added) against the test class path, into a directory of its own. */
    private Compiled compile(String body) {
        String source = IMPORTS + body;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (the tests run on a JDK)").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Caller.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        // Surefire may hand the JVM a manifest-only jar as java.class.path; it sets the real one here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path out;
        try {
            out = Files.createTempDirectory("liveness-caller");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        outputs.add(out);
        boolean ok = javac.getTask(null, null, diagnostics,
                List.of("-classpath", classPath, "-d", out.toString(), "-proc:none", "-Xlint:none"), null,
                List.of(file)).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getMessage(Locale.ROOT));
            }
        }
        assertThat(ok).as("compiler result agrees with its errors: %s", errors).isEqualTo(errors.isEmpty());
        ClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, LivenessWiringTest.class.getClassLoader());
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        return new Compiled(errors, loader, out);
    }
}
