package dev.readiness.spring.boot.minimal;

import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.rolling.RollingRestart;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling restarts of {@link MinimalApplication} (a Boot application whose only readiness addition is the
 * starter) under load, with the testkit's harness that {@code src/docs/drain.md} uses for plain Boot and for
 * readiness on Tomcat: two instances behind a proxy that takes an instance out after two failed readiness checks
 * at a 1 s interval, a constant request rate with one request in ten slow (up to 1 s), a real SIGTERM per
 * restart. Not a test (bounded by its arguments); prints the summary.
 * <pre>
 * mvn -B -q -pl spring-boot-autoconfigure -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd spring-boot-autoconfigure
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     dev.readiness.spring.boot.minimal.RollingRestartDriver --restarts 6 --rate 50
 * </pre>
 */
public final class RollingRestartDriver {

    private RollingRestartDriver() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("restarts", "6", "rate", "50", "propagation-delay", "5s",
                "server", "tomcat", "echo", "false"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        boolean echo = Boolean.parseBoolean(opts.get("echo"));
        RollingRestart.Settings settings = new RollingRestart.Settings(Integer.parseInt(opts.get("restarts")),
                Integer.parseInt(opts.get("rate")), 10, Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
                Duration.ofSeconds(60), echo);
        String server = opts.get("server");
        RollingRestart.Service service = new RollingRestart.Service() {
            @Override
            public ForkedJvm start(String name, int port) throws IOException {
                Map<String, String> env = new HashMap<>(Map.of(
                        "SERVER_PORT", Integer.toString(port),
                        "SERVER_ADDRESS", "127.0.0.1",
                        "READINESS_MANAGEMENT_ENABLED", "false",
                        "READINESS_DRAIN_ENABLED", "true",
                        "READINESS_DRAIN_PROPAGATION_DELAY", opts.get("propagation-delay"),
                        "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true",
                        "LOGGING_LEVEL_ROOT", "WARN"));
                return ForkedJvm.start(name, MinimalApplicationIT.classpath(), MinimalApplication.class.getName(),
                        env, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dminimal.server=" + server), echo);
            }

            @Override
            public String healthPath() {
                return "/actuator/health/readiness";
            }
        };
        System.out.println("== boot + readiness starter (" + server + "): " + settings.restarts() + " restarts at "
                + settings.ratePerSecond() + " requests/s");
        RollingRestart.Result r = RollingRestart.run(service, settings);
        System.out.println("boot+starter: " + r.summary());
        r.failureSamples().stream().limit(10).forEach(f -> System.out.println("  failure: " + f));
        System.out.println("(" + Runtime.getRuntime().availableProcessors() + " cpus, java "
                + System.getProperty("java.version") + ")");
    }
}
