package dev.readiness.samples.boot;

import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.health.management.ManagementServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;


/**
 * What this sample adds to the readiness starter's auto-configuration: the management server, sessions in Redis,
 * the ConfigMap watcher, the GC-pressure liveness check and advisor, the listen-queue probe and the database's
 * readiness check are all the starter's, configured in {@code application.properties}. The sample adds only a
 * log line that says where everything is.
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SampleConfiguration.class);

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
}
