package dev.readiness.health.drain;

import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.rolling.RollingRestart;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling restarts of real forked JVMs behind a proxy that lags like a load balancer (out of rotation only after
 * two failed /readyz checks at a 1 s interval), under a constant request rate with slow requests, with real
 * SIGTERMs. Bounded for CI: {@code DRAIN_IT_RESTARTS} restarts (default 3).
 */
class RollingRestartIT {

    private static final Duration PROPAGATION = Duration.ofMillis(3_000);
    private static final Duration MAX_SLOW = Duration.ofMillis(1_500);
    private static final Pattern COUNTS = Pattern.compile(
            "requests accepted (\\d+), completed (\\d+), still running (\\d+)");

    @Test
    void rollingRestartsUnderLoadFailNoRequestAndExitZero() throws Exception {
        int restarts = Integer.parseInt(System.getenv().getOrDefault("DRAIN_IT_RESTARTS", "3"));
        RollingRestart.Service service = new RollingRestart.Service() {
            @Override
            public ForkedJvm start(String name, int port) throws java.io.IOException {
                return ForkedJvm.start(name, ForkedJvm.currentClasspath(), DrainJettyTestService.class.getName(),
                        Map.of("SERVER_PORT", Integer.toString(port),
                                "READINESS_DRAIN_PROPAGATION_DELAY", PROPAGATION.toMillis() + "ms",
                                "READINESS_DRAIN_TIMEOUT", "10s"),
                        List.of("-Xmx96m", "-XX:TieredStopAtLevel=1"), false);
            }

            @Override
            public String healthPath() {
                return "/readyz";
            }
        };
        RollingRestart.Result result = RollingRestart.run(service, new RollingRestart.Settings(restarts, 50, 10,
                MAX_SLOW, Duration.ofSeconds(1), 2, Duration.ofSeconds(40), false));
        System.out.println("rolling restart: " + result.summary());
        result.proxyEvents().forEach(e -> System.out.println("proxy: " + e));

        assertThat(result.failed()).as("failed client requests: %s", result.failureSamples()).isZero();
        assertThat(result.ok()).isEqualTo(result.sent());
        assertThat(result.slowOk()).as("slow requests were part of the load").isPositive();
        assertThat(result.restarts()).hasSize(restarts);
        for (RollingRestart.Restart r : result.restarts()) {
            String output = String.join("\n", r.output());
            assertThat(r.exitCode()).as("exit status of %s:\n%s", r.instance(), output).isZero();
            assertThat(r.shutdown()).as("shutdown of %s: propagation + longest request + margin", r.instance())
                    .isLessThan(PROPAGATION.plus(MAX_SLOW).plusSeconds(6));
            Matcher m = COUNTS.matcher(output);
            assertThat(m.find()).as("drain report of %s:\n%s", r.instance(), output).isTrue();
            assertThat(m.group(2)).as("every request %s accepted completed", r.instance()).isEqualTo(m.group(1));
            assertThat(m.group(3)).isEqualTo("0");
            assertThat(Long.parseLong(m.group(1))).as("%s served traffic", r.instance()).isPositive();
        }
    }
}
