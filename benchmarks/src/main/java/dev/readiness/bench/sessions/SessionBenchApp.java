package dev.readiness.bench.sessions;

import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.redis.RedisSessionStore;
import dev.readiness.sessions.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/** The service under test: the sample contract's two session endpoints. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SessionBenchApp.Endpoints.class)
public class SessionBenchApp {

    @RestController
    public static class Endpoints {

        /** Increments and returns a counter kept in the session. */
        @GetMapping("/session/counter")
        public String counter(HttpServletRequest request) {
            HttpSession s = request.getSession();
            Integer c = (Integer) s.getAttribute("counter");
            int next = c == null ? 1 : c + 1;
            s.setAttribute("counter", next);
            return Integer.toString(next);
        }

        /** Returns the counter without changing it. */
        @GetMapping("/session/read")
        public String read(HttpServletRequest request) {
            HttpSession s = request.getSession(false);
            return s == null ? "none" : String.valueOf(s.getAttribute("counter"));
        }
    }

    /** (b) readiness sessions: the filter in front of everything, the store on the given Redis. */
    @Configuration(proxyBeanMethods = false)
    public static class ReadinessSessions {

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
                    .cookieSecure(false).commandTimeout(Duration.ofSeconds(2)).build();
        }
    }

    /** (c) Spring Session Data Redis with its default repository (RedisSessionRepository). */
    @Configuration(proxyBeanMethods = false)
    @EnableRedisHttpSession
    public static class SpringSession {

        /** What Boot's Redis auto-configuration builds for spring.data.redis.host/port, declared here directly. */
        @Bean
        LettuceConnectionFactory redisConnectionFactory(Environment env) {
            return new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                    env.getRequiredProperty("spring.data.redis.host"),
                    Integer.parseInt(env.getRequiredProperty("spring.data.redis.port"))));
        }
    }
}
