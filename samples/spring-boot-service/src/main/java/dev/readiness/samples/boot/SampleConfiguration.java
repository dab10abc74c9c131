package dev.readiness.samples.boot;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.config.ReadinessConfig;
import dev.readiness.core.listen.ListenQueueMetrics;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigReloadMetrics;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.readiness.health.check.jdbc.HikariPoolCheck;
import dev.readiness.health.management.ManagementServer;
import dev.readiness.health.management.PrometheusHandler;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionsConfig;
import dev.readiness.sessions.micrometer.SessionMetrics;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.readiness.core.listen.ListenQueueConfig;
import dev.readiness.core.listen.ListenQueueProbe;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.gc.runtime.GcAdvisor;
import dev.readiness.gc.runtime.GcConfig;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.gc.runtime.GcRuntime;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SampleConfiguration.class);

    /**
     * Liveness: a JVM drowning in GC cannot serve and will not recover by itself; a restart is the cure. The
     * settings are {@code readiness.gc.*} from system properties and environment variables
     * ({@code READINESS_GC_PRESSURE_WINDOW}); at start, logs what in this JVM disagrees with its container.
     */
    @Bean
    @ConditionalOnProperty(name = "readiness.gc.pressure.enabled", matchIfMissing = true)
    GcPressureCheck gcPressureCheck() {
        GcConfig gc = GcConfig.from(ReadinessConfig.defaults());
        if (gc.advisor().enabled()) {
            GcAdvisor.logAtStart();
        }
        return new GcPressureCheck(gc.toSettings());
    }

    @Bean
    CheckRegistration gcPressure(GcPressureCheck check) {
        return CheckRegistration.liveness(GcRuntime.CHECK_NAME, check);
    }

    /**
     * {@code readiness.sessions.*} from the environment, system properties and this application's Spring
     * configuration (application.properties, and the development Redis when none is configured).
     */
    @Bean
    SessionSettings sessionSettings(ConfigurableEnvironment environment) {
        Map<String, String> fromSpring = new HashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    if (name.startsWith("readiness.sessions.")) {
                        fromSpring.putIfAbsent(name, environment.getProperty(name));
                    }
                }
            }
        }
        List<ConfigSource> sources = new ArrayList<>();
        ReadinessConfig.defaults().getConfigSources().forEach(sources::add);
        sources.add(new PropertiesConfigSource(fromSpring, "spring-environment", 150));
        return SessionsConfig.from(ReadinessConfig.of(sources.toArray(ConfigSource[]::new)));
    }

    @Bean
    SessionMetrics sessionMetrics() {
        return new SessionMetrics();
    }

    /** Sessions in Redis, so any replica serves any request; closed after the web server's graceful shutdown. */
    @Bean(destroyMethod = "close")
    RedisSessionStore sessionStore(SessionSettings settings, SessionMetrics metrics) {
        log.info("sessions go to Redis at {}", settings.redisUri().replaceAll("//[^@/]*@", "//***@"));
        return RedisSessionStore.create(settings, settings.createCodec(), metrics);
    }

    /** First in the chain: after it, {@code request.getSession()} is the Redis session. */
    @Bean
    FilterRegistrationBean<SessionFilter> sessionFilter(RedisSessionStore store, SessionSettings settings,
                                                        SessionMetrics metrics) {
        FilterRegistrationBean<SessionFilter> filter = new FilterRegistrationBean<>(new SessionFilter(store, settings, metrics));
        filter.setOrder(Ordered.HIGHEST_PRECEDENCE);
        filter.addUrlPatterns("/*");
        return filter;
    }

    /** Readiness: a PING on the store's own connection; required unless readiness.sessions.redis.required=false. */
    @Bean
    CheckRegistration redisSessions(RedisSessionStore store, SessionSettings settings) {
        return CheckRegistration.readiness("redis-sessions", store.readinessCheck(),
                CheckOptions.builder().required(settings.required()).build());
    }

    /**
     * An optional database ({@code database.url}, {@code DATABASE_URL}, with {@code database.username} and
     * {@code database.password}): a readiness dependency, never a liveness one, so a database outage takes the pods
     * out of the Service instead of restarting them in a loop. The pool does not fail the start when the database
     * is down; readiness stays DOWN until it answers. Closed after the web server's graceful shutdown.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("database.url")
    HikariDataSource database(ConfigurableEnvironment environment) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("database");
        String url = environment.getRequiredProperty("database.url").trim();
        hikari.setJdbcUrl(url);
        hikari.setUsername(environment.getProperty("database.username"));
        hikari.setPassword(environment.getProperty("database.password"));
        hikari.setMaximumPoolSize(10);
        hikari.setInitializationFailTimeout(-1);
        log.info("database {} registered as a readiness dependency", url.replaceAll("//[^@/]*@", "//***@"));
        return new HikariDataSource(hikari);
    }

    @Bean
    @ConditionalOnProperty("database.url")
    CheckRegistration databaseReadiness(HikariDataSource database) {
        return CheckRegistration.readiness("database", HikariPoolCheck.of(database));
    }

    /** Prometheus text for {@code /metrics} on the management port; each readiness component binds its meters. */
    @Bean
    PrometheusMeterRegistry prometheusMeterRegistry(HealthRegistry registry, SessionMetrics sessions,
                                                    ObjectProvider<GcPressureCheck> gc,
                                                    ObjectProvider<ListenQueueProbe> listen,
                                                    ObjectProvider<ConfigMapWatcher> config) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProbeMetrics(registry).bindTo(prometheus);
        sessions.bindTo(prometheus);
        new GcPressureMetrics(gc.getIfAvailable()).bindTo(prometheus);
        listen.ifAvailable(p -> new ListenQueueMetrics(p).bindTo(prometheus));
        config.ifAvailable(w -> new ConfigReloadMetrics(w).bindTo(prometheus));
        return prometheus;
    }

    /**
     * The management port ({@code readiness.management.port}, 8081): {@code /livez}, {@code /readyz},
     * {@code /startupz} from the registry's background results, and {@code /metrics}. Created while the context
     * starts, before Tomcat listens, so the startup probe sees 503 until the application is ready; closed after
     * the web server's graceful shutdown, so the probes answer through the drain.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "readiness.management.enabled", matchIfMissing = true)
    ManagementServer managementServer(HealthRegistry registry, PrometheusMeterRegistry prometheus,
                                      @Value("${readiness.management.port:8081}") int port,
                                      @Value("${readiness.management.details:false}") boolean details) {
        return ManagementServer.builder(registry).port(port).details(details)
                .handler("/metrics", PrometheusHandler.of(prometheus)).start();
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> whereThingsAre(ObjectProvider<ManagementServer> management,
                                                               @Value("${server.port:8080}") String port) {
        return event -> {
            String app = event.getApplicationContext().getEnvironment().getProperty("local.server.port", port);
            ManagementServer m = management.getIfAvailable();
            if (m == null) {
                log.info("spring-boot-service started: app http://localhost:{}/; no management server"
                        + " (readiness.management.enabled=false)", app);
            } else {
                log.info("spring-boot-service started: app http://localhost:{}/ (try /session/counter, /slow?ms=500,"
                        + " /config/greeting); probes http://localhost:{}/livez /readyz /startupz; metrics"
                        + " http://localhost:{}/metrics", app, m.port(), m.port());
            }
        };
    }

    /**
     * Accept-queue overflows and the effective backlog ({@code readiness.listen.*} from system properties and
     * environment variables), sampled from /proc once the application is ready. The requested backlog is
     * Tomcat's {@code server.tomcat.accept-count}.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "readiness.listen.enabled", matchIfMissing = true)
    ListenQueueProbe listenQueueProbe(@Value("${server.tomcat.accept-count:100}") int acceptCount) {
        return ListenQueueProbe.builder(ListenQueueConfig.from(ReadinessConfig.defaults()))
                .requestedBacklog(() -> acceptCount).build();
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> startListenQueueProbe(ObjectProvider<ListenQueueProbe> probe) {
        return event -> probe.ifAvailable(ListenQueueProbe::start);
    }

    /**
     * The mounted ConfigMap directory ({@code readiness.config.dir}, {@code READINESS_CONFIG_DIR}), reloaded in place
     * when the kubelet swaps {@code ..data}; a bad update keeps the last good configuration. Loaded at start: a
     * missing or invalid directory fails the start. Without the property, {@code /config/{key}} answers 404.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("readiness.config.dir")
    ConfigMapWatcher configMapWatcher(@Value("${readiness.config.dir}") String dir) {
        return ConfigMapWatcher.builder().directory(Path.of(dir.trim())).build().start();
    }
}
