package dev.readiness.bench.startup.springsession;

import dev.readiness.bench.startup.plain.PlainBootService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/**
 * The start-up benchmark's second anchor: {@link PlainBootService}'s endpoints with their sessions in Redis through
 * Spring Session Data Redis (its default repository, {@code @EnableRedisHttpSession}), on the connection Boot's Redis
 * auto-configuration builds from {@code spring.data.redis.*}: what a Spring Boot service that externalises its
 * sessions runs today without readiness. Its Redis client is the same Lettuce as readiness' store.
 */
@SpringBootApplication
@EnableRedisHttpSession
@Import(PlainBootService.class)
public class SpringSessionBootService {

    public static void main(String[] args) {
        PlainBootService.run(SpringSessionBootService.class, args);
    }
}
