package dev.readiness.samples.boot;

import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.spring.boot.autoconfigure.ReadinessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;


/**
 * What this sample adds to the readiness starter's auto-configuration: the management server, sessions in Redis,
 * the ConfigMap watcher, the GC-pressure liveness check and advisor, the listen-queue probe and the database's
 * readiness check are all the starter's, configured in {@code application.properties}. The two beans below fill
 * gaps in the starter (see their comments).
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SampleConfiguration.class);

    /**
     * The probes' meters ({@code readiness_probe_up}, {@code readiness_check_status}, ...) on {@code /metrics}: Boot
     * binds every {@code MeterBinder} bean to its Prometheus registry. The starter binds the meters of the drain,
     * sessions, GC, listen queue and ConfigMap, but not yet these.
     */
    @Bean
    ProbeMetrics probeMetrics(HealthRegistry registry) {
        return new ProbeMetrics(registry);
    }

    /** Says where everything is, once the application serves; first, before the registry reports it started. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> whereThingsAre(ObjectProvider<ManagementServer> management,
                                                               ObjectProvider<HikariDataSource> database) {
        return new WhereThingsAre(management, database);
    }

    private record WhereThingsAre(ObjectProvider<ManagementServer> management,
                                  ObjectProvider<HikariDataSource> database)
            implements ApplicationListener<ApplicationReadyEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            database.ifAvailable(ds -> log.info("database {} registered as a readiness dependency (readiness check"
                    + " 'db')", ds.getJdbcUrl().replaceAll("//[^@/]*@", "//***@")));
            String app = event.getApplicationContext().getEnvironment().getProperty("local.server.port", "?");
            ManagementServer m = management.getIfAvailable();
            if (m == null) {
                log.info("spring-boot-service started: app http://localhost:{}/; no management server"
                        + " (readiness.management.enabled=false)", app);
            } else {
                log.info("spring-boot-service started: app http://localhost:{}/ (try /session/counter, /slow?ms=500,"
                        + " /config/greeting); probes http://localhost:{}/livez /readyz /startupz; metrics"
                        + " http://localhost:{}/metrics", app, m.port(), m.port());
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /**
     * The listen-queue probe, as the starter would build it from {@code readiness.listen.*}, but with the requested
     * backlog read from {@code server.tomcat.accept-count} instead of from Tomcat. Needed because the starter's
     * probe asks the embedded Tomcat for its connector while the context starts, when Boot has taken the connector
     * out: Tomcat then adds a default connector on port 8080 (backlog 100) beside the configured one. The starter
     * starts this probe once the application is ready and binds its meters. Remove when the starter reads the
     * backlog without creating a connector.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = "readiness.listen.enabled", matchIfMissing = true)
    ListenQueueProbe listenQueueProbe(ReadinessProperties properties,
                                      @Value("${server.tomcat.accept-count:100}") int acceptCount) {
        return ListenQueueProbe.builder(properties.getListen().toSettings()).requestedBacklog(() -> acceptCount).build();
    }
}
