package dev.readiness.newapps;

import dev.readiness.newapps.NewProjects.App;
import dev.readiness.testkit.FreePorts;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.http.NoRetryHttpClient;
import dev.readiness.testkit.process.ForkedJvm;
import dev.readiness.testkit.grpc.TextMethods;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.readiness.newapps.BootGeneration.BOOT_41;
import static dev.readiness.newapps.NewProjects.FLUX;
import static dev.readiness.newapps.NewProjects.BATCH;
import static dev.readiness.newapps.NewProjects.GRPC;
import static dev.readiness.newapps.NewProjects.WEB;
import static dev.readiness.newapps.NewProjects.deps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Brand-new Spring Boot applications (3.5, 4.0 and 4.1), each with the dependencies a user would add from the README, built by
 * their own {@code mvn package} against the installed artifacts and run as processes ({@code java -jar}'s
 * launcher, the repackaged jar and nothing else on the class path). Each asserts what its combination should
 * have (probes on the management port as DESIGN.md gives them, sessions shared by two instances on one real
 * redis-server, a SIGTERM drain that fails no request and exits 0) and that what it lacks is named in one INFO
 * line with the artifact to add.
 *
 * <p>The starter's own scenarios (alone on Tomcat, and with Actuator) run on every {@link BootGeneration}, their
 * test names saying which; the other combinations on Spring Boot 4.1, the version readiness is built against.
 * All apps, of every generation, are built by one aggregator {@code mvn package}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NewApplicationsIT {

    /** The starter alone on Tomcat, the web starter's default, on each generation. */
    private static App starterOnTomcat(BootGeneration boot) {
        return new App("starter-tomcat-" + boot.id(), WEB, boot, deps(boot.webStarter(), boot.readinessStarter()));
    }

    private static App starterWithActuator(BootGeneration boot) {
        return new App("starter-actuator-" + boot.id(), WEB, boot,
                deps(boot.webStarter(), "spring-boot-starter-actuator", boot.readinessStarter()));
    }

    /** The starter on Jetty: Boot's web starter without its Tomcat, and Boot's Jetty starter. */
    private static App starterOnJetty(BootGeneration boot) {
        return new App("starter-jetty-" + boot.id(), WEB, boot,
                deps(boot.webStarter() + "-without-tomcat", "spring-boot-starter-jetty", boot.readinessStarter()));
    }

    /**
     * A gRPC service on Spring Boot 3.5 as start.spring.io makes one (Spring gRPC 0.x's BOM and starter, grpc-java's
     * services), with the Boot 3 starter; no web server.
     */
    private static final App STARTER_GRPC_35 = new App("starter-grpc-boot35", GRPC, BootGeneration.BOOT_35,
            deps(NewProjects.BOM + "org.springframework.grpc:spring-grpc-dependencies:"
                            + NewProjects.property("spring-grpc3.version"), "spring-boot-starter",
                    "org.springframework.grpc:spring-grpc-spring-boot-starter", "io.grpc:grpc-services",
                    "readiness-spring-boot3-starter"));
    /** A WebFlux service (Reactor Netty) with the starter of its generation. */
    private static App starterOnWebFlux(BootGeneration boot) {
        return new App("starter-webflux-" + boot.id(), FLUX, boot,
                deps("spring-boot-starter-webflux", boot.readinessStarter()));
    }
    private static final App STARTER_BATCH = new App("starter-batch-boot41", BATCH, BOOT_41,
            deps("spring-boot-starter", "readiness-spring-boot-starter"));
    private static final App AUTOCONFIGURE = new App("autoconfigure-only-boot41", WEB, BOOT_41,
            deps("spring-boot-starter-webmvc", "readiness-spring-boot-autoconfigure"));
    private static final App WITH_HEALTH = new App("autoconfigure-health-boot41", WEB, BOOT_41,
            deps("spring-boot-starter-webmvc", "readiness-spring-boot-autoconfigure", "readiness-health"));
    private static final App WITH_SESSIONS = new App("autoconfigure-sessions-boot41", WEB, BOOT_41,
            deps("spring-boot-starter-webmvc", "readiness-spring-boot-autoconfigure", "readiness-sessions"));
    private static final App WITH_GC = new App("autoconfigure-gc-tuning-boot41", WEB, BOOT_41,
            deps("spring-boot-starter-webmvc", "readiness-spring-boot-autoconfigure", "readiness-gc-tuning"));

    /** Every app of every generation, for the one build. */
    private static final List<App> APPS = Stream.concat(
            Stream.of(BootGeneration.ALL.stream().map(NewApplicationsIT::starterOnTomcat),
                    BootGeneration.ALL.stream().map(NewApplicationsIT::starterWithActuator),
                    BootGeneration.JETTY.stream().map(NewApplicationsIT::starterOnJetty),
                    BootGeneration.REACTIVE.stream().map(NewApplicationsIT::starterOnWebFlux)).flatMap(s -> s),
            Stream.of(STARTER_GRPC_35, STARTER_BATCH, AUTOCONFIGURE, WITH_HEALTH, WITH_SESSIONS, WITH_GC)).toList();

    private static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    private static final Duration START = Duration.ofSeconds(90);

    /** Every request sent once, on its own connection: what the test counts is what the network did. */
    private static final NoRetryHttpClient HTTP = new NoRetryHttpClient(Duration.ofSeconds(2), false);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private NewProjects projects;
    private RedisServer redis;
    private final List<ForkedJvm> running = new ArrayList<>();

    @BeforeAll
    void buildTheApplications() throws Exception {
        Path reactor = Path.of(NewProjects.property("readiness.root")).toAbsolutePath().normalize();
        Path localRepository = Path.of(NewProjects.property("readiness.localRepository"));
        String version = NewProjects.property("readiness.version");
        BootGeneration.ALL.forEach(BootGeneration::version);
        NewProjects.requireInstalled(reactor, localRepository, version, List.of(
                "readiness-core:readiness-core", "health:readiness-health", "sessions:readiness-sessions",
                "gc-tuning:readiness-gc-tuning", "spring-boot-autoconfigure:readiness-spring-boot-autoconfigure",
                "spring-boot-starter:readiness-spring-boot-starter", "spring-boot-common:readiness-spring-boot-common",
                "spring-boot3-autoconfigure:readiness-spring-boot3-autoconfigure",
                "spring-boot3-starter:readiness-spring-boot3-starter", "grpc:readiness-grpc"));
        projects = new NewProjects(Path.of(NewProjects.property("apps.dir")), version);
        projects.write(APPS);
        projects.build(Path.of(NewProjects.property("maven.home")), localRepository);
        redis = RedisServer.start();
    }

    /** A test's instances stop with it: on 2 cores, idle JVMs left running slow the tests after them. */
    @AfterEach
    void stopTheInstances() {
        running.forEach(ForkedJvm::close);
        running.clear();
    }

    @AfterAll
    void stopEverything() {
        stopTheInstances();
        if (redis != null) {
            redis.close();
        }
    }

    static List<BootGeneration> generations() {
        return BootGeneration.ALL;
    }

    static List<BootGeneration> jettyGenerations() {
        return BootGeneration.JETTY;
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("generations")
    void theStarterAloneGivesProbesSharedSessionsAndADrainOnTomcat(BootGeneration boot) throws Exception {
        on(boot, () -> everythingOfTheStarter(starterOnTomcat(boot)));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jettyGenerations")
    void theStarterAloneGivesProbesSharedSessionsAndADrainOnJetty(BootGeneration boot) throws Exception {
        on(boot, () -> everythingOfTheStarter(starterOnJetty(boot)));
    }

    private void everythingOfTheStarter(App app) throws Exception {
        Instance a = start(app, withRedis(inAPod()));
        Instance b = start(app, withRedis(inAPod()));
        String server = app.dependencies().contains("spring-boot-starter-jetty") ? "Jetty" : "Tomcat";
        for (Instance i : List.of(a, b)) {
            probesAsDesigned(i);
            runsOn(i, app.boot());
            i.jvm.await(server + " started on port", Duration.ofSeconds(1));
            assertThat(get(i.management, "/metrics", null).text()).contains("readiness_probe");
        }
        assertThat(modulesNamedMissing(a)).as("the starter brings every module").isZero();
        sessionsFollowTheUserAcross(a, b);
        drainsWithoutFailingARequest(a);
    }

    /**
     * The starter beside Actuator, on every generation: readiness's probes on the management port, Actuator's probe
     * groups answered from the registry (the {@code startup} group is readiness's: Boot has none; on 3.5 the groups
     * are there off Kubernetes too, as on Boot 4), and {@code /metrics} served from Actuator's registry, with
     * readiness's meters and the JVM's, none registered twice.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("generations")
    void actuatorHealthGroupsAnswerFromTheRegistryBesideTheManagementServer(BootGeneration boot) throws Exception {
        on(boot, () -> {
            Instance i = start(starterWithActuator(boot), withRedis(new LinkedHashMap<>()));
            probesAsDesigned(i);
            runsOn(i, boot);
            for (String group : List.of("readiness", "liveness", "startup")) {
                NoRetryHttpClient.Response r = get(i.port, "/actuator/health/" + group, null);
                assertThat(r.status()).as(group).isEqualTo(200);
                assertThat(r.text()).as(group).contains("\"status\":\"UP\"");
            }
            assertThat(get(i.port, "/actuator/health", null).text()).contains("\"status\":\"UP\"");
            String metrics = get(i.management, "/metrics", null).text();
            assertThat(metrics).contains("readiness_probe").contains("jvm_gc_max_data_size_bytes")
                    .contains("jvm_memory_used_bytes");
            assertThat(i.jvm.count("already registered")).as("a meter registered twice").isZero();
        });
    }

    /**
     * Spring Boot 3.5 with Spring gRPC 0.x: the server answers {@code grpc.health.v1.Health} from the registry (the
     * {@code startup} service is readiness's: Spring gRPC's own health service does not know it), and on SIGTERM
     * health turns {@code NOT_SERVING} at once while calls are still served, the call in flight answers, and the
     * JVM exits 0.
     */
    @Test
    void onSpringBoot35SpringGrpcServersAnswerHealthFromTheRegistryAndDrain() throws Exception {
        BootGeneration boot = BootGeneration.BOOT_35;
        on(boot, () -> {
            int grpcPort = FreePorts.next();
            Map<String, String> env = inAPod();
            env.put("SPRING_GRPC_SERVER_PORT", Integer.toString(grpcPort));
            env.put("READINESS_SATURATION_CONCURRENCY_TARGET", "4");
            Instance i = start(STARTER_GRPC_35, env);
            probesAsDesigned(i);
            runsOn(i, boot);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS);
                for (String service : List.of("", "readiness", "liveness", "startup")) {
                    assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                            .as("health of '%s'", service).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                }
                assertThat(say(channel, "hello")).isEqualTo("hello");
                CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> say(channel, "sleep:2500"));
                // the service's only server is gRPC: saturation is its calls in flight over the target
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() ->
                        get(i.management, "/metrics", null).text().contains("readiness_saturation{source=\"grpc\"} 0.25"));
                i.jvm.signal("TERM");
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() ->
                        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                                .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                                == HealthCheckResponse.ServingStatus.NOT_SERVING);
                assertThat(say(channel, "during the propagation delay")).isEqualTo("during the propagation delay");
                assertThat(inFlight.get(30, TimeUnit.SECONDS)).as("the call in flight at SIGTERM")
                        .isEqualTo("sleep:2500");
                assertThat(i.jvm.awaitExit(Duration.ofSeconds(60))).as("exit status after the drain").isZero();
            } finally {
                channel.shutdownNow();
            }
        });
    }

    private static String say(ManagedChannel channel, String text) {
        return ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                text);
    }

    /** The gRPC application's one method, called without its generated stub. */
    private static final MethodDescriptor<String, String> SAY = TextMethods.unary("demo.Echo/Say");

    /**
     * WebFlux on Reactor Netty: the probes, the saturation gauge fed by the reactive in-flight filter (a request
     * that waits without a thread is in flight all the same), and a drain that waits for the request in flight at
     * SIGTERM and closes Netty's listening socket.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("reactiveGenerations")
    void aWebFluxServiceGetsProbesSaturationAndADrainThatWaitsForItsRequests(BootGeneration boot) throws Exception {
        on(boot, () -> webFluxService(boot));
    }

    static List<BootGeneration> reactiveGenerations() {
        return BootGeneration.REACTIVE;
    }

    private void webFluxService(BootGeneration boot) throws Exception {
        Map<String, String> env = inAPod();
        env.put("READINESS_SATURATION_CONCURRENCY_TARGET", "4");
        env.put("READINESS_MANAGEMENT_DETAILS", "true");
        Instance i = start(starterOnWebFlux(boot), env);
        probesAsDesigned(i);
        runsOn(i, boot);
        i.jvm.await("Netty started on port", Duration.ofSeconds(1));
        assertThat(get(i.port, "/", null).text()).isEqualTo("hello");
        // the http-listener check reads Netty's listening channel (not "not read", not "not started yet")
        await().atMost(Duration.ofSeconds(10)).until(() -> get(i.management, "/livez?verbose", null).text()
                .matches(".*\"http-listener\":\\{\"status\":\"UP\"[^}]*\"listening\":1.*"));
        CompletableFuture<NoRetryHttpClient.Response> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return get(i.port, "/slow?ms=2000", null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> get(i.management, "/metrics", null).text()
                .contains("readiness_saturation{source=\"in-flight\"} 0.25"));
        assertThat(waiting.get(30, TimeUnit.SECONDS).text()).isEqualTo("slow 2000");
        await().atMost(Duration.ofSeconds(5)).until(() -> get(i.management, "/metrics", null).text()
                .contains("readiness_saturation{source=\"in-flight\"} 0.0"));
        drainsWithoutFailingARequest(i);
        assertThat(i.jvm.lines()).anyMatch(l -> l.matches(".*Reactor Netty's listening socket \\S+ closed.*"))
                .anyMatch(l -> l.contains("stopped accepting on 1 server(s)"));
    }

    @Test
    void aWorkerWithNoWebServerStillServesItsProbesAndStopsOnSigterm() throws Exception {
        Instance i = start(STARTER_BATCH, inAPod());
        i.jvm.await("worker started", START);
        probesAsDesigned(i);
        assertThat(i.jvm.count("HTTP sessions stay")).as("no servlet container, nothing said of sessions").isZero();
        i.jvm.signal("TERM");
        assertThat(i.jvm.awaitExit(Duration.ofSeconds(60))).isZero();
    }

    @Test
    void theAutoConfigurationAloneStartsAndNamesEveryModuleItLacks() throws Exception {
        Instance i = start(AUTOCONFIGURE, withRedis(new LinkedHashMap<>()));
        await().atMost(START).until(() -> status(i.port, "/") == 200);
        assertThat(status(i.management, "/readyz")).as("no management server without readiness-health")
                .isEqualTo(-1);
        namesMissing(i, "readiness-health", "readiness-sessions", "readiness-gc-tuning");
        sessionsStayInEachInstance(i);
    }

    @Test
    void withTheHealthModuleAloneTheProbesAndTheDrainWork() throws Exception {
        Instance i = start(WITH_HEALTH, withRedis(inAPod()));
        probesAsDesigned(i);
        namesMissing(i, "readiness-sessions", "readiness-gc-tuning");
        sessionsStayInEachInstance(i);
        drainsWithoutFailingARequest(i);
    }

    @Test
    void withTheSessionsModuleAloneSessionsAreSharedThroughRedis() throws Exception {
        Instance a = start(WITH_SESSIONS, withRedis(new LinkedHashMap<>()));
        Instance b = start(WITH_SESSIONS, withRedis(new LinkedHashMap<>()));
        for (Instance i : List.of(a, b)) {
            await().atMost(START).until(() -> status(i.port, "/") == 200);
        }
        namesMissing(a, "readiness-health", "readiness-gc-tuning");
        sessionsFollowTheUserAcross(a, b);
    }

    @Test
    void withTheGcModuleAloneTheGcPressureCheckIsRegistered() throws Exception {
        Instance i = start(WITH_GC, new LinkedHashMap<>());
        await().atMost(START).until(() -> status(i.port, "/") == 200);
        i.jvm.await("registered liveness check 'gc-pressure'", Duration.ofSeconds(10));
        namesMissing(i, "readiness-health", "readiness-sessions");
    }

    // --- what each combination should have ---

    private static void probesAsDesigned(Instance i) {
        await().atMost(START).until(() -> status(i.management, "/readyz") == 200);
        for (String probe : List.of("/livez", "/readyz", "/startupz")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                NoRetryHttpClient.Response r = get(i.management, probe, null);
                assertThat(r.status()).as(probe).isEqualTo(200);
                assertThat(r.header("content-type")).as(probe).startsWith("application/json");
                assertThat(r.text()).as(probe).contains("\"status\":\"UP\"");
            });
        }
    }

    private interface Scenario {
        void run() throws Exception;
    }

    /**
     * Runs a scenario of one generation, its failure naming it: the reports give the display name
     * ({@code on Spring Boot 4.0.7}), the console only the invocation's index.
     */
    private static void on(BootGeneration boot, Scenario scenario) throws Exception {
        try {
            scenario.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("on " + boot + ": " + e.getMessage(), e);
        }
    }

    /** The process says, in Boot's banner, the version its generation has. */
    private static void runsOn(Instance i, BootGeneration boot) throws InterruptedException {
        i.jvm.await(":: Spring Boot ::\\s+\\(v" + Pattern.quote(boot.version()) + "\\)",
                Duration.ofSeconds(1));
    }

    /** One user, one cookie, alternating between two instances: the counter goes on where it left off. */
    private static void sessionsFollowTheUserAcross(Instance a, Instance b) throws IOException {
        NoRetryHttpClient.Response first = get(a.port, "/session/counter", null);
        assertThat(first.text()).isEqualTo("1");
        String cookie = sessionCookie(first);
        for (int n = 2; n <= 10; n++) {
            Instance i = n % 2 == 0 ? b : a;
            NoRetryHttpClient.Response r = get(i.port, "/session/counter", cookie);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).as("request %d, on %s", n, i == a ? "A" : "B").isEqualTo(Integer.toString(n));
        }
    }

    /** Without readiness-sessions the container keeps the session: a second request with its cookie goes on. */
    private static void sessionsStayInEachInstance(Instance i) throws IOException {
        NoRetryHttpClient.Response first = get(i.port, "/session/counter", null);
        assertThat(first.text()).isEqualTo("1");
        String cookie = first.header("set-cookie").split(";", 2)[0];
        assertThat(cookie).as("the container's own session cookie").startsWith("JSESSIONID=");
        assertThat(get(i.port, "/session/counter", cookie).text()).isEqualTo("2");
    }

    private static String sessionCookie(NoRetryHttpClient.Response r) {
        String setCookie = r.header("set-cookie");
        assertThat(setCookie).as("readiness' session cookie").startsWith("SESSION=");
        return setCookie.split(";", 2)[0];
    }

    /**
     * SIGTERM with a request in flight: readiness 503 at once while requests still succeed for the propagation
     * delay, the request in flight answers, and the JVM exits 0. Every request sent is counted, none retried.
     */
    private static void drainsWithoutFailingARequest(Instance i) throws Exception {
        CompletableFuture<NoRetryHttpClient.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get(i.port, "/slow?ms=2500", null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // the request reaches the server well within the propagation delay, during which it still accepts;
        // the drain's log below proves it was in flight when the server stopped accepting
        i.jvm.signal("TERM");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> status(i.management, "/readyz") == 503);
        int served = 0;
        for (int n = 0; n < 5; n++) {
            NoRetryHttpClient.Response r = get(i.port, "/", null);
            assertThat(r.status()).as("request %d during the propagation delay", n).isEqualTo(200);
            served++;
        }
        assertThat(served).isEqualTo(5);
        NoRetryHttpClient.Response slow = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(slow.status()).as("the request in flight at SIGTERM").isEqualTo(200);
        assertThat(slow.text()).isEqualTo("slow 2500");
        assertThat(i.jvm.awaitExit(Duration.ofSeconds(60))).as("exit status after the drain").isZero();
        assertThat(String.join("\n", i.jvm.lines())).contains("drain phase 2/4 requests: 1 in-flight request(s) finished");
    }

    private static void namesMissing(Instance i, String... artifacts) throws InterruptedException {
        for (String artifact : artifacts) {
            i.jvm.await("INFO.*readiness: " + artifact + " is not on the class path: .*Add dev\\.readiness:"
                    + artifact, Duration.ofSeconds(10));
        }
        long named = modulesNamedMissing(i);
        assertThat(named).as("only the absent modules are named").isEqualTo(artifacts.length);
    }

    private static NoRetryHttpClient.Response get(int port, String path, String cookie) throws IOException {
        return HTTP.get(port, path, cookie == null ? Map.of() : Map.of("Cookie", cookie), TIMEOUT);
    }

    /** The status, or -1 when the connection is refused or broken, for polling. */
    private static int status(int port, String path) {
        try {
            return get(port, path, null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The INFO lines of readiness' own module report (other lines may also say "not on the class path"). */
    private static long modulesNamedMissing(Instance i) {
        return i.jvm.lines().stream().filter(l -> l.matches(".*readiness: readiness-[a-z-]+ is not on the class path: .*"))
                .count();
    }

    // --- processes ---

    private record Instance(ForkedJvm jvm, int port, int management) {
    }

    /** The environment Kubernetes gives every pod, which turns the drain on by default. */
    private static Map<String, String> inAPod() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        env.put("READINESS_DRAIN_PROPAGATION_DELAY", "1500ms");
        env.put("READINESS_DRAIN_TIMEOUT", "10s");
        return env;
    }

    private Map<String, String> withRedis(Map<String, String> env) {
        env.put("READINESS_SESSIONS_REDIS_URI", redis.uri());
        // plain http on loopback: a Secure cookie would never come back
        env.put("READINESS_SESSIONS_COOKIE_SECURE", "false");
        return env;
    }

    private Instance start(App app, Map<String, String> env) throws IOException {
        int port = FreePorts.next();
        int management = FreePorts.next();
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("READINESS_MANAGEMENT_PORT", Integer.toString(management));
        ForkedJvm jvm = ForkedJvm.start(app.name(), app.jar(projects.root()).toString(), LAUNCHER, all,
                List.of("-XX:TieredStopAtLevel=1", "-Xmx256m"), true);
        running.add(jvm);
        return new Instance(jvm, port, management);
    }
}
