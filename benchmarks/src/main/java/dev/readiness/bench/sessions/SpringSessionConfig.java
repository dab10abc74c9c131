package dev.readiness.bench.sessions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/** Variant (c): Spring Session Data Redis with its default repository (RedisSessionRepository). */
@Configuration(proxyBeanMethods = false)
@EnableRedisHttpSession
public class SpringSessionConfig {

    /** What Boot's Redis auto-configuration builds for spring.data.redis.host/port, declared here directly. */
    @Bean
    LettuceConnectionFactory redisConnectionFactory(Environment env) {
        return new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                env.getRequiredProperty("spring.data.redis.host"),
                Integer.parseInt(env.getRequiredProperty("spring.data.redis.port"))));
    }
}
