package dev.readiness.bench.drain.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The anchor of the drain benchmark: a Spring Boot service as its documentation recommends,
 * {@code server.shutdown=graceful} with Actuator's readiness probe, and no preStop hook (a distroless image
 * cannot run {@code sleep}). {@code GET /}, {@code GET /slow?ms=N}; readiness at
 * {@code /actuator/health/readiness}. Port from {@code SERVER_PORT}.
 */
@SpringBootApplication
@RestController
public class BootGracefulService {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BootGracefulService.class);
        app.setDefaultProperties(Map.of(
                "readiness.enabled", "false", // the anchor is Boot alone
                "server.shutdown", "graceful",
                "spring.lifecycle.timeout-per-shutdown-phase", "20s",
                "server.address", "127.0.0.1",
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoints.web.exposure.include", "health",
                "spring.main.banner-mode", "off"));
        app.run(args);
    }

    @GetMapping("/")
    public String hello() {
        return "hello";
    }

    @GetMapping("/slow")
    public String slow(@RequestParam(defaultValue = "100") long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "slept " + ms;
    }
}
