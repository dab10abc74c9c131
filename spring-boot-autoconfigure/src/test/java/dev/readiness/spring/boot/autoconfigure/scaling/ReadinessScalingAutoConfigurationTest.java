package dev.readiness.spring.boot.autoconfigure.scaling;

import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.warmup.WarmUpTask;
import dev.readiness.health.agent.AgentServer;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import dev.readiness.spring.boot.autoconfigure.StartFailures;
import dev.readiness.spring.boot.minimal.MinimalApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ReadinessScalingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessScalingAutoConfiguration.class));

    private WebApplicationContextRunner web() {
        return new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessScalingAutoConfiguration.class))
                .withPropertyValues("readiness.management.port=0");
    }

    /** The starter's binder bound as Boot's metrics auto-configuration binds every MeterBinder bean. */
    private static MeterRegistry meters(org.springframework.context.ApplicationContext context) {
        MeterRegistry meters = new SimpleMeterRegistry();
        context.getBean("readinessScalingMetrics", io.micrometer.core.instrument.binder.MeterBinder.class)
                .bindTo(meters);
        return meters;
    }

    @Test
    void tomcatsWorkerPoolIsTheGaugesSource() {
        web().withBean(TomcatServletWebServerFactory.class, () -> new TomcatServletWebServerFactory(0)).run(context -> {
            assertThat(context).hasNotFailed();
            // idle: no request in flight, though a pool thread may still be busy starting (1 of 200 is 0.005)
            assertThat(meters(context).get("readiness.saturation").tag("source", "tomcat").gauge().value())
                    .isBetween(0.0, 0.05);
            assertThat(context).doesNotHaveBean(AgentServer.class);
        });
    }

    @Test
    void jettysThreadPoolIsTheGaugesSource() {
        web().withBean(JettyServletWebServerFactory.class, () -> new JettyServletWebServerFactory(0)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(meters(context).get("readiness.saturation").tag("source", "jetty")
                    .gauge().value()).isBetween(0.0, 0.2);
        });
    }

    @Test
    void withoutABoundedPoolOrATargetNoGaugeAndOneWarningNamingTheKey(CapturedOutput output) {
        web().withBean(TomcatServletWebServerFactory.class, () -> {
            TomcatServletWebServerFactory f = new TomcatServletWebServerFactory(0);
            f.addProtocolHandlerCustomizers(p -> p.setExecutor(Executors.newCachedThreadPool()));
            return f;
        }).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(meters(context).find("readiness.saturation").gauge()).isNull();
            assertThat(output.getOut() + output.getErr())
                    .containsOnlyOnce("set readiness.saturation.concurrency-target");
        });
    }

    @Test
    void aConcurrencyTargetMakesInFlightTheSource() {
        web().withBean(TomcatServletWebServerFactory.class, () -> {
            TomcatServletWebServerFactory f = new TomcatServletWebServerFactory(0);
            f.addProtocolHandlerCustomizers(p -> p.setExecutor(Executors.newCachedThreadPool()));
            return f;
        }).withPropertyValues("readiness.saturation.concurrency-target=50").run(context -> {
            assertThat(context).hasNotFailed();
            ServerSaturation s = context.getBean(ServerSaturation.class);
            var request = s.tracker().begin();
            assertThat(meters(context).get("readiness.saturation").tag("source", "in-flight")
                    .gauge().value()).isEqualTo(0.02);
            request.end();
        });
    }

    @Test
    void saturationOffRegistersNoGauge() {
        web().withBean(TomcatServletWebServerFactory.class, () -> new TomcatServletWebServerFactory(0))
                .withPropertyValues("readiness.saturation.enabled=false").run(context ->
                        assertThat(meters(context).find("readiness.saturation").gauge()).isNull());
    }

    @Test
    void withoutSpringsWebServerModuleTheWarmUpAndTheAgentStillWork() {
        runner.withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(
                        "org.springframework.boot.web.server"))
                .withPropertyValues("readiness.agent.enabled=true", "readiness.agent.port=0",
                        "readiness.agent.host=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ServerSaturation.class)
                            .hasSingleBean(WarmUpRunner.class).hasSingleBean(AgentServer.class)
                            .doesNotHaveBean(WebServerSaturation.class);
                    assertThat(context.getBean(ServerSaturation.class).value()).isNaN();
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.saturation.concurrency-target | 0      | must be 1..1000000",
            "readiness.saturation.concurrency-target | ten    | must be 1..1000000",
            "readiness.agent.port                    | 70000  | must be 0..65535",
            "readiness.agent.shed-above              | -1     | must be a ratio from 0.05 to 100",
            "readiness.agent.shed-full               | 0.5    | must be above readiness.agent.shed-above",
            "readiness.agent.min-weight              | 101    | must be a percentage 1..100",
            "readiness.agent.read-timeout            | 10s    | must be between 1ms and 5s",
            "readiness.agent.slow-start              | 5      | must be between 0s and 1h",
            "readiness.warmup.timeout                | 0s     | must be a positive duration",
            "readiness.warmup.paths                  | nope   | must be paths starting with /",
            "readiness.warmup.requests               | 0      | must be 1..100000",
    })
    void aBadValueFailsTheStartWithTheKey(String key, String value, String allowed) {
        runner.withPropertyValues(key + "=" + value).run(context ->
                StartFailures.analysisNaming(context, key, allowed));
    }

    @Test
    void aBadAgentFlagFailsTheStartInsteadOfTurningTheAgentOff() {
        runner.withPropertyValues("readiness.agent.enabled=maybe").run(context ->
                StartFailures.analysisNaming(context, "readiness.agent.enabled", "true or false"));
    }

    /** Records what readiness said while the warm-up ran. */
    @Configuration(proxyBeanMethods = false)
    static class WarmUpBeans {
        static final List<AvailabilityState> seen = new CopyOnWriteArrayList<>();

        @Bean
        WarmUpTask recordState(HealthRegistry registry) {
            return () -> seen.add(registry.state());
        }
    }

    @Test
    void aRealApplicationWarmsUpBeforeReadinessAndAnswersTheAgent() throws Exception {
        WarmUpBeans.seen.clear();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MinimalApplication.class,
                WarmUpBeans.class).properties("server.port=0", "server.address=127.0.0.1",
                        "readiness.management.port=0", "readiness.management.host=127.0.0.1",
                        "readiness.agent.enabled=true", "readiness.agent.port=0", "readiness.agent.host=127.0.0.1",
                        "readiness.warmup.paths=/,/slow?ms=1", "readiness.warmup.requests=3",
                        "readiness.sessions.enabled=false", "spring.autoconfigure.exclude="
                                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
                .run()) {
            assertThat(WarmUpBeans.seen).containsExactly(AvailabilityState.STARTING);
            HealthRegistry registry = app.getBean(HealthRegistry.class);
            assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
            AgentServer agent = app.getBean(AgentServer.class);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agent.port())) {
                s.getOutputStream().write("check\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("up ready 100%\n");
            }
            int management = app.getBean(dev.readiness.health.management.ManagementServer.class).port();
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + management + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("readiness_saturation\\{source=\"(tomcat|jetty)\"} 0\\.0")
                    .contains("readiness_warmup_tasks{result=\"ok\"} 2.0")
                    .contains("readiness_agent_answers_total{answer=\"up\"} 1.0")
                    .containsPattern("readiness_warmup_duration_seconds [0-9]\\.[0-9]+(E-[0-9]+)?\n");
        }
    }
}
