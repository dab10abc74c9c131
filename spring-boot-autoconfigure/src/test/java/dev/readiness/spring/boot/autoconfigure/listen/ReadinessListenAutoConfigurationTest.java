package dev.readiness.spring.boot.autoconfigure.listen;

import dev.readiness.spring.boot.autoconfigure.StartFailures;
import dev.readiness.core.listen.ListenQueueCheck;
import dev.readiness.core.listen.ListenQueueMetrics;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.spring.boot.autoconfigure.ReadinessAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessListenAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                    ReadinessListenAutoConfiguration.class));

    private WebApplicationContextRunner web() {
        return new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(ReadinessAutoConfiguration.class,
                        ReadinessListenAutoConfiguration.class));
    }

    @Test
    void readsTheListenKeys() {
        runner.withPropertyValues("readiness.listen.ports=8080,8443", "readiness.listen.sample-interval=2s",
                "readiness.listen.log-interval=30s", "readiness.listen.min-backlog=256",
                "readiness.listen.proc-root=/host/proc", "readiness.listen.requested-backlog=511").run(context -> {
                    var settings = context.getBean(ListenQueueProbe.class).settings();
                    assertThat(settings.ports()).isEqualTo(Set.of(8080, 8443));
                    assertThat(settings.sampleInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(settings.logInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(settings.minBacklog()).isEqualTo(256);
                    assertThat(settings.procRoot()).isEqualTo(Path.of("/host/proc"));
                    assertThat(settings.requestedBacklog()).hasValue(511);
                    assertThat(settings.readinessOnOverflow()).isFalse();
                    assertThat(context).hasSingleBean(ListenQueueMetrics.class);
                    // without an embedded server the configured backlog is what the probe reports
                    assertThat(new ServerBacklog(context, settings.requestedBacklog()).getAsInt()).isEqualTo(511);
                });
    }

    @Test
    void noReadinessCheckUnlessAskedFor() {
        runner.run(context -> assertThat(context.getBean(HealthRegistry.class).checks())
                .noneMatch(c -> c.name().equals(ListenQueueCheck.NAME)));
        runner.withPropertyValues("readiness.listen.readiness-on-overflow=true").run(context ->
                assertThat(context.getBean(HealthRegistry.class).checks())
                        .anyMatch(c -> c.name().equals(ListenQueueCheck.NAME) && c.probe() == Probe.READINESS));
    }

    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("readiness.listen.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ListenQueueProbe.class));
    }

    @Test
    void readsTomcatsAcceptCount() {
        web().withBean(TomcatServletWebServerFactory.class, () -> {
            TomcatServletWebServerFactory f = new TomcatServletWebServerFactory(0);
            f.addConnectorCustomizers(c -> c.setProperty("acceptCount", "777"));
            return f;
        }).run(context -> {
            ListenQueueProbe probe = context.getBean(ListenQueueProbe.class);
            assertThat(new ServerBacklog(context.getSourceApplicationContext(), probe.settings().requestedBacklog())
                    .getAsInt()).isEqualTo(777);
            assertThat(probe.sample().requestedBacklog()).isEqualTo(777);
        });
    }

    @Test
    void readingTheBacklogWhileBootHoldsTomcatsConnectorsNeverAddsADefaultConnector() {
        // While Boot starts Tomcat it takes the connectors out of the service; Tomcat.getConnector() would then
        // create a default one on port 8080 beside the configured port.
        web().withBean(TomcatServletWebServerFactory.class, () -> new TomcatServletWebServerFactory(0)).run(context -> {
            var tomcat = ((org.springframework.boot.tomcat.TomcatWebServer)
                    ((org.springframework.boot.web.server.context.WebServerApplicationContext)
                            context.getSourceApplicationContext()).getWebServer()).getTomcat();
            var service = tomcat.getService();
            var connectors = service.findConnectors();
            for (var c : connectors) {
                service.removeConnector(c);
            }
            try {
                ServerBacklog backlog = new ServerBacklog(context.getSourceApplicationContext(), java.util.OptionalInt.of(4242));
                assertThat(backlog.getAsInt()).isEqualTo(4242);
                assertThat(service.findConnectors()).isEmpty();
            } finally {
                for (var c : connectors) {
                    service.addConnector(c);
                }
            }
        });
    }

    @Test
    void readsJettysAcceptQueueSize() {
        web().withBean(JettyServletWebServerFactory.class, () -> {
            JettyServletWebServerFactory f = new JettyServletWebServerFactory(0);
            f.addServerCustomizers(server -> {
                for (var c : server.getConnectors()) {
                    if (c instanceof org.eclipse.jetty.server.ServerConnector sc) {
                        sc.setAcceptQueueSize(333);
                    }
                }
            });
            return f;
        }).run(context -> {
            ListenQueueProbe probe = context.getBean(ListenQueueProbe.class);
            assertThat(probe.sample().requestedBacklog()).isEqualTo(333);
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "readiness.listen.ports             | 70000 | must be ports 1..65535",
            "readiness.listen.requested-backlog | -5    | must be 0 (the JDK default of 50) or more",
            "readiness.listen.min-backlog       | -1    | must be 0 (no warning) or more",
            "readiness.listen.sample-interval   | 0s    | must be a positive duration",
            "readiness.listen.log-interval      | -1s   | must be a positive duration",
    })
    void aBadValueFailsTheStartWithTheKey(String key, String value, String allowed) {
        runner.withPropertyValues(key + "=" + value).run(context -> {
            StartFailures.analysisNaming(context, key, allowed);
        });
    }
}
