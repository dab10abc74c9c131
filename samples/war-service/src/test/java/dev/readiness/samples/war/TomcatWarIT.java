package dev.readiness.samples.war;

import dev.readiness.testkit.FreePorts;
import dev.readiness.samples.e2e.SampleProcess;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import dev.readiness.testkit.http.SessionAlternation;
import dev.readiness.testkit.http.WeightedProxy;
import dev.readiness.testkit.rolling.LoadDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample WAR on a real standalone Tomcat 11 (the distribution from Maven Central, {@code bin/catalina.sh run},
 * readiness-tomcat-listener in {@code $CATALINA_BASE/lib} and one line of {@code server.xml}), beside the Spring
 * Boot sample started from its jar, both on one real redis-server:
 * <ol>
 *   <li>the WAR's probes answer 200 on the management port readiness-war opened, beside its {@code /metrics};</li>
 *   <li>one user's requests alternate between Tomcat and Spring Boot: the session counter keeps counting;</li>
 *   <li>behind a health-checking proxy under constant load, Tomcat gets a real SIGTERM: readiness DOWN at once,
 *       requests still served during the propagation delay, 0 failed requests, and Tomcat's JVM exits.</li>
 * </ol>
 * Run it alone: {@code mvn -o -pl samples/war-service -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=TomcatWarIT -Dfailsafe.failIfNoSpecifiedTests=false}. It prints its figures in lines starting with
 * {@code TomcatWarIT}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TomcatWarIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration PROPAGATION = Duration.ofSeconds(4);

    private final NoRetryHttpClient http = new NoRetryHttpClient(Duration.ofSeconds(2), false);
    private RedisServer redis;
    private StandaloneTomcat tomcat;
    private SampleProcess boot;
    private WeightedProxy proxy;
    private LoadDriver load;
    private boolean passed;

    @AfterEach
    void close() throws Exception {
        if (!passed && tomcat != null) {
            System.out.println("TomcatWarIT failed; Tomcat's log:\n" + tomcat.log());
        }
        if (load != null) {
            load.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
        if (boot != null) {
            boot.close();
        }
        if (redis != null) {
            redis.close();
        }
        http.close();
    }

    @Test
    void warOnStandaloneTomcatSharesSessionsWithSpringBootAndDrainsOnSigtermWithNoFailedRequest() throws Exception {
        long t0 = System.nanoTime();
        redis = RedisServer.start();
        int management = FreePorts.next();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("READINESS_SESSIONS_REDIS_URI", redis.uri());
        env.put("READINESS_SESSIONS_COOKIE_SECURE", "false");
        env.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
        env.put("READINESS_DRAIN_PROPAGATION_DELAY", PROPAGATION.toSeconds() + "s");
        env.put("READINESS_DRAIN_TIMEOUT", "10s");
        tomcat = StandaloneTomcat.start(env);
        boot = SampleProcess.start(bootJar(), Map.of("READINESS_SESSIONS_REDIS_URI", redis.uri(),
                "READINESS_DRAIN_PROPAGATION_DELAY", "2s", "READINESS_DRAIN_TIMEOUT", "10s"));

        // 1. Probes: the WAR is up, wired by readiness-war alone.
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .failFast("Tomcat exited; log:\n" + tomcat.log(), () -> !tomcat.isAlive())
                .until(() -> status(management, "/readyz") == 200);
        assertThat(status(management, "/livez")).isEqualTo(200);
        assertThat(status(management, "/startupz")).isEqualTo(200);
        assertThat(http.get(tomcat.port(), "/", Duration.ofSeconds(5)).text()).isEqualTo("hello from war-service");
        assertThat(http.get(management, "/readyz?verbose", Duration.ofSeconds(5)).text()).contains("redis-sessions");
        assertThat(http.get(management, "/metrics", Duration.ofSeconds(5)).text())
                .contains("readiness_probe", "readiness_sessions_load_seconds", "jvm_memory_used_bytes",
                        // Tomcat's pool and the listen probe, through the listener's connectors
                        "readiness_saturation{source=\"tomcat\"}", "readiness_listen_overflows_total",
                        "readiness_listen_backlog_effective");
        // the http-listener check reads the real connector: UP and listening, not "not started yet"
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(management, "/livez?verbose",
                Duration.ofSeconds(5)).text().contains("\"listening\":1"));
        assertThat(http.get(management, "/livez?verbose", Duration.ofSeconds(5)).text())
                .contains("\"http-listener\":{\"status\":\"UP\"");
        assertThat(tomcat.log()).contains("readiness: 1 connector(s) bind on start (bindOnInit=false)")
                .doesNotContain("no dev.readiness.tomcat.ReadinessLifecycleListener");
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .failFast("the Spring Boot sample exited; log:\n" + boot.log(), () -> !boot.isAlive())
                .until(() -> boot.statusOrMinusOne(boot.managementPort(), "/readyz") == 200);

        // 2. One user alternating between the WAR on Tomcat and Spring Boot: one session in Redis.
        SessionAlternation.Result sessions = SessionAlternation.onLoopback(SessionAlternation.BODY, tomcat.port(),
                boot.port()).run("/session/counter", 40, 200);
        assertThat(sessions.clean()).as(sessions.toString()).isTrue();
        assertThat(sessions.requests()).isEqualTo(40);

        // 3. Drain on SIGTERM behind a proxy that health-checks /readyz, as a load balancer does.
        proxy = new WeightedProxy(new WeightedProxy.Settings(Duration.ofMillis(200), 1, 2, Duration.ofMillis(400),
                Duration.ofSeconds(1), Duration.ofSeconds(30)));
        WeightedProxy.Backend onTomcat = proxy.add("tomcat", tomcat.port(), 1, management, "/readyz");
        WeightedProxy.Backend onBoot = proxy.add("boot", boot.port(), 1, boot.managementPort(), "/readyz");
        await().atMost(Duration.ofSeconds(10)).until(() -> onTomcat.up() && onBoot.up());
        load = new LoadDriver(proxy.port(), 40, 5, Duration.ofMillis(1500), Duration.ofSeconds(60)).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> onTomcat.requests() >= 40 && onBoot.requests() >= 40);

        long sigterm = System.nanoTime();
        tomcat.sigterm();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(management, "/readyz") == 503);
        double downAfter = (System.nanoTime() - sigterm) / 1e9;
        // Still serving while load balancers catch up: a new connection, straight to Tomcat.
        assertThat(status(management, "/livez")).isEqualTo(200);
        assertThat(http.get(tomcat.port(), "/", Duration.ofSeconds(5)).status()).isEqualTo(200);
        assertThat((System.nanoTime() - sigterm) / 1e9).as("checked within the propagation delay")
                .isLessThan(PROPAGATION.toSeconds());
        long onTomcatAtSigterm = onTomcat.requests();

        int exit = tomcat.awaitExit(Duration.ofSeconds(40));
        double exitAfter = (System.nanoTime() - sigterm) / 1e9;
        Thread.sleep(1500); // more load, on Spring Boot alone
        load.stopAndAwait(Duration.ofSeconds(30));
        String log = tomcat.log();

        System.out.printf(java.util.Locale.ROOT, "TomcatWarIT: Tomcat and the WAR up in %.1f s; %s; SIGTERM:"
                        + " readiness 503 after %.2f s, Tomcat exited with %d after %.1f s; load %d sent, %d ok,"
                        + " %d failed; tomcat served %d (%d after SIGTERM), boot %d; proxy events %s%n",
                startSeconds, sessions, downAfter, exit, exitAfter, load.sent(), load.ok(), load.failed(),
                onTomcat.requests(), onTomcat.requests() - onTomcatAtSigterm, onBoot.requests(), proxy.events());
        assertThat(load.failed()).as("failed requests; first: %s", load.failureSamples()).isZero();
        assertThat(load.ok()).isEqualTo(load.sent());
        assertThat(load.slowOk()).isPositive();
        assertThat(onTomcat.failures()).isZero();
        // The order of the drain, from Tomcat's own log: the listener held Tomcat's stop until the drain ended.
        assertThat(log).contains("readiness: Tomcat is stopping: draining 1 webapp(s)")
                .contains("drain phase 1/4 propagation")
                .contains("readiness: stopped accepting: port " + tomcat.port() + " closed")
                .contains("drain phase 4/4 stopped")
                .contains("webapp(s) drained in")
                // everything the webapp opened (management server, Lettuce, checks) was closed with it
                .doesNotContain("but has failed to stop it");
        assertThat(log.indexOf("webapp(s) drained in")).as("the drain ended before Tomcat paused its connectors")
                .isLessThan(log.indexOf("Pausing ProtocolHandler"));
        assertThat(exitAfter).as("the propagation delay was kept").isGreaterThan(PROPAGATION.toSeconds());
        // After SIGTERM the JVM exits with 143 once its shutdown hooks (Tomcat's stop) returned.
        assertThat(exit).isEqualTo(143);
        passed = true;
    }

    private int status(int port, String path) {
        try {
            return http.get(port, path, Duration.ofSeconds(2)).status();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Path bootJar() {
        String jar = System.getProperty("boot.sample.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("boot.sample.jar=" + jar + " is not a file: run with mvn -pl"
                    + " samples/war-service -am verify, which packages the Spring Boot sample first");
        }
        return Path.of(jar);
    }
}
