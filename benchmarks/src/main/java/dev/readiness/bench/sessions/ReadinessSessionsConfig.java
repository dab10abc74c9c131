package dev.readiness.bench.sessions;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.time.Duration;

/** Variant (b): readiness sessions, the filter in front of everything, the store on the benchmark's Redis. */
@Configuration(proxyBeanMethods = false)
public class ReadinessSessionsConfig {

    @Bean(destroyMethod = "close")
    RedisSessionStore sessionStore(Environment env) {
        return RedisSessionStore.create(settings(env));
    }

    @Bean
    FilterRegistrationBean<SessionFilter> sessionFilter(RedisSessionStore store, Environment env) {
        FilterRegistrationBean<SessionFilter> bean = new FilterRegistrationBean<>(new SessionFilter(store, settings(env)));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    static SessionSettings settings(Environment env) {
        return SessionSettings.builder().redisUri(env.getRequiredProperty("readiness.sessions.redis.uri"))
                .cookieSecure(false).commandTimeout(Duration.ofSeconds(2))
                .nearCache(env.getProperty("readiness.sessions.redis.near-cache.enabled", Boolean.class, false)).build();
    }
}
