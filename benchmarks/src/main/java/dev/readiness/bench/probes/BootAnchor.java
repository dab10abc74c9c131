package dev.readiness.bench.probes;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The anchor: a plain Spring Boot 4.1 web application with Actuator, whose readiness group includes Boot's own
 * Redis health indicator ({@code management.endpoint.health.group.readiness.include=readinessState,redis}),
 * configured the way the Spring Boot documentation shows. No component scanning: only auto-configuration.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class BootAnchor {

    static ConfigurableApplicationContext start(int redisPort) {
        return new SpringApplicationBuilder(BootAnchor.class)
                .properties(
                        "server.port=0",
                        "readiness.enabled=false", // the anchor is Boot alone
                        "server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + redisPort,
                        "management.endpoints.web.exposure.include=health",
                        "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.group.readiness.include=readinessState,redis",
                        "logging.level.root=WARN",
                        // Boot logs every slow health contributor; the table says it better
                        "logging.level.org.springframework.boot.health=ERROR")
                .run();
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
