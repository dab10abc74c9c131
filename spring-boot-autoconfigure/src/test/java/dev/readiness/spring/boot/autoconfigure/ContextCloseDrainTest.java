package dev.readiness.spring.boot.autoconfigure;

import dev.readiness.core.probe.AvailabilityState;
import dev.readiness.core.probe.HealthRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Spring Boot web application closed: Boot publishes {@code ReadinessState.REFUSING_TRAFFIC} as the close
 * begins, before the {@code ContextClosedEvent}. Readiness goes from READY straight to DRAINING: were there a
 * moment of NOT_READY, HAProxy's agent-check would read "down" in it and mark the server DOWN instead of draining it.
 */
class ContextCloseDrainTest {

    /** This build's test class path has Boot's JDBC and Redis auto-configurations, with nothing to connect to. */
    private static final String EXCLUDE = "spring.autoconfigure.exclude="
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

    @Test
    void closingGoesFromReadyStraightToDraining() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(EXCLUDE, "server.port=0", "server.address=127.0.0.1", "readiness.management.port=0",
                        "readiness.sessions.enabled=false", "readiness.drain.enabled=true",
                        "readiness.drain.propagation-delay=0s")
                .run();
        HealthRegistry registry = context.getBean(HealthRegistry.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.state() == AvailabilityState.READY);
        List<String> transitions = new CopyOnWriteArrayList<>();
        registry.addListener((previous, current) -> transitions.add(previous + " -> " + current));
        context.close();
        assertThat(transitions).as("transitions at close").startsWith("READY -> DRAINING")
                .doesNotContain("READY -> NOT_READY");
    }

    @Test
    void refusingTrafficPublishedOutsideACloseStillOnlyRefusesTraffic() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.SERVLET)
                .properties(EXCLUDE, "server.port=0", "server.address=127.0.0.1", "readiness.management.port=0",
                        "readiness.sessions.enabled=false").run();
        try {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.state() == AvailabilityState.READY);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(registry.state()).isEqualTo(AvailabilityState.NOT_READY);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(registry.state()).isEqualTo(AvailabilityState.READY);
        } finally {
            context.close();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
