package dev.readiness.samples.boot;

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

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBootService.class);
        app.addInitializers(new DevRedisInitializer(), SpringBootService::databaseOnlyWithUrl);
        app.run(args);
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
