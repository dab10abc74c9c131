package dev.readiness.spring.boot.autoconfigure.bench;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Load driver: latency of {@code GET /actuator/health/readiness} while a health indicator in the readiness group
 * hangs for {@value #HANG_MS} ms on every call, with Spring Boot Actuator alone (the anchor) and with the
 * readiness starter, in the same JVM on the same machine. Loopback only; bounded request counts.
 * <p>
 * Run: see src/docs/spring-boot.md ("Measured").
 */
public final class ProbeLatencyDriver {

    static final int HANG_MS = 2000;
    private static final int ANCHOR_REQUESTS = 5;
    private static final int WARMUP = 500;
    private static final int REQUESTS = 5000;

    private ProbeLatencyDriver() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        System.out.println("indicator hangs " + HANG_MS + " ms per call; sequential requests on loopback");
        try (ConfigurableApplicationContext anchor = start(false)) {
            report("spring-boot-actuator alone", measure(http, port(anchor), 0, ANCHOR_REQUESTS));
        }
        try (ConfigurableApplicationContext readiness = start(true)) {
            Thread.sleep(1500); // the background check has timed out once: readiness is DOWN with its reason
            report("with readiness starter", measure(http, port(readiness), WARMUP, REQUESTS));
        }
    }

    private static ConfigurableApplicationContext start(boolean readiness) {
        return new SpringApplicationBuilder(App.class).properties(
                "server.port=0", "server.address=127.0.0.1", "readiness.management.enabled=false",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.group.readiness.include=readinessState,slowDatabase",
                "readiness.enabled=" + readiness,
                "readiness.checks.interval=500ms", "readiness.checks.timeout=300ms",
                "logging.level.root=WARN", "spring.main.banner-mode=off").run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static long[] measure(HttpClient http, int port, int warmup, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(30)).GET().build();
        for (int i = 0; i < warmup; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        long[] micros = new long[requests];
        int status = 0;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        System.out.println("  last status " + status);
        Arrays.sort(micros);
        return micros;
    }

    private static void report(String name, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-28s n=%5d  p50=%9.3f ms  p99=%9.3f ms  max=%9.3f ms%n", name,
                sorted.length, sorted[sorted.length / 2] / 1000.0,
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1000.0,
                sorted[sorted.length - 1] / 1000.0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        HealthIndicator slowDatabaseHealthIndicator() {
            return () -> {
                try {
                    Thread.sleep(HANG_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Health.up().build();
            };
        }
    }
}
