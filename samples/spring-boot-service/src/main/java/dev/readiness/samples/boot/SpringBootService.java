package dev.readiness.samples.boot;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;
import dev.readiness.spring.boot.autoconfigure.CheckRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

import java.util.Map;

/**
 * A Spring Boot service on the readiness starter: the starter auto-configures probes, drain, sessions, ConfigMap
 * reload, GC and listen-queue checks. Start: {@code java -jar spring-boot-service.jar}, configured by environment
 * variables (see the samples doc).
 */
@SpringBootApplication
public class SpringBootService {

    static final String REDIS_URI = "readiness.sessions.redis.uri";
    static final String NO_REDIS = "no Redis is configured: this instance stays unready until"
            + " READINESS_SESSIONS_REDIS_URI (readiness.sessions.redis.uri) is set, e.g. redis://redis:6379"
            + " (samples/run.sh starts a local development Redis)";
    private static final Logger log = LoggerFactory.getLogger(SpringBootService.class);

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBootService.class);
        app.addInitializers(SpringBootService::unreadyWithoutRedis, SpringBootService::databaseOnlyWithUrl);
        app.run(args);
    }

    /**
     * Without {@code readiness.sessions.redis.uri} ({@code READINESS_SESSIONS_REDIS_URI}) the service cannot keep
     * a session that another replica sees, so it starts, says so in one line with the setting to give, and stays
     * unready: a required readiness check {@code redis-sessions} that is DOWN with that reason. (The development
     * run, {@code mvn spring-boot:test-run}, starts a local Redis instead; it lives in the test sources, and this
     * jar holds none.)
     */
    static void unreadyWithoutRedis(ConfigurableApplicationContext context) {
        if (StringUtils.hasText(context.getEnvironment().getProperty(REDIS_URI))) {
            return;
        }
        log.warn(NO_REDIS);
        DependencyCheck noRedis = timeout -> CheckResult.down(NO_REDIS);
        context.getBeanFactory().registerSingleton("noRedisConfigured", CheckRegistration.readiness(
                "redis-sessions", noRedis, CheckOptions.builder().required(true).build()));
    }

    /**
     * The database is optional: without {@code spring.datasource.url} ({@code DATABASE_URL}) Boot's DataSource
     * auto-configuration would fail the start for want of a URL, so it is excluded (an explicit
     * {@code spring.autoconfigure.exclude} still wins). With the URL, Boot's HikariCP pool is the starter's
     * required readiness check {@code db}.
     */
    static void databaseOnlyWithUrl(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!StringUtils.hasText(env.getProperty("spring.datasource.url"))) {
            env.getPropertySources().addLast(new MapPropertySource("noDatabase",
                    Map.of("spring.autoconfigure.exclude", DataSourceAutoConfiguration.class.getName())));
        }
    }
}
