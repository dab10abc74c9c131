package dev.readiness.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service on the readiness starter. Start: {@code java -jar spring-boot-service.jar},
 * configured by environment variables (see the samples doc).
 */
@SpringBootApplication
public class SpringBootService {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBootService.class);
        app.addInitializers(new DevRedisInitializer());
        app.run(args);
    }
}
