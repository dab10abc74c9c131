package dev.readiness.bench.drain;

import dev.readiness.bench.drain.boot.BootGracefulService;
import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.rolling.RollingRestart;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling restarts under load, the same harness for Spring Boot's graceful shutdown and for readiness' drain, in
 * one run on one machine. Two instances behind a proxy that takes an instance out of rotation after two failed
 * readiness checks at a 1 s interval; a constant request rate with one request in ten slow (up to 1 s); a real
 * SIGTERM per restart.
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp benchmarks/target/classes:$(cat /tmp/cp.txt) dev.readiness.bench.drain.RollingRestartBenchmark \
 *      --targets boot,readiness --restarts 20 --rate 100
 * </pre>
 */
public final class RollingRestartBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("targets", "boot,readiness", "restarts", "20",
                "rate", "100", "max-slow", "1000ms", "propagation-delay", "5s", "echo", "false"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        int restarts = Integer.parseInt(opts.get("restarts"));
        int rate = Integer.parseInt(opts.get("rate"));
        Duration maxSlow = Duration.ofMillis(Long.parseLong(opts.get("max-slow").replace("ms", "")));
        boolean echo = Boolean.parseBoolean(opts.get("echo"));
        RollingRestart.Settings settings = new RollingRestart.Settings(restarts, rate, 10, maxSlow,
                Duration.ofSeconds(1), 2, Duration.ofSeconds(60), echo);

        List<String> report = new ArrayList<>();
        for (String target : opts.get("targets").split(",")) {
            RollingRestart.Service service = switch (target.trim()) {
                case "boot" -> service(BootGracefulService.class.getName(), "/actuator/health/readiness",
                        Map.of(), echo);
                case "readiness" -> service(ReadinessTomcatService.class.getName(), "/readyz",
                        Map.of("READINESS_DRAIN_PROPAGATION_DELAY", opts.get("propagation-delay")), echo);
                default -> throw new IllegalArgumentException("unknown target " + target + "; boot or readiness");
            };
            System.out.println("== " + target + ": " + restarts + " restarts at " + rate + " requests/s");
            RollingRestart.Result r = RollingRestart.run(service, settings);
            String line = target + ": " + r.summary();
            System.out.println(line);
            r.failureSamples().stream().limit(10).forEach(f -> System.out.println("  failure: " + f));
            if (Boolean.parseBoolean(opts.getOrDefault("events", "false"))) {
                r.proxyEvents().forEach(e -> System.out.println("  proxy: " + e));
                r.failureSamples().forEach(f -> System.out.println("  failure: " + f));
            }
            report.add(line);
        }
        System.out.println("== summary (" + Runtime.getRuntime().availableProcessors() + " cpus, java "
                + System.getProperty("java.version") + ")");
        report.forEach(System.out::println);
    }

    private static RollingRestart.Service service(String main, String health, Map<String, String> env,
                                                  boolean echo) {
        return new RollingRestart.Service() {
            @Override
            public ForkedJvm start(String name, int port) throws IOException {
                Map<String, String> e = new HashMap<>(env);
                e.put("SERVER_PORT", Integer.toString(port));
                return ForkedJvm.start(name, ForkedJvm.currentClasspath(), main, e,
                        List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), echo);
            }

            @Override
            public String healthPath() {
                return health;
            }
        };
    }
}
