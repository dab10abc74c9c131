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

/**
 * The service under test: the sample contract's two session endpoints, and one a session cookie reaches that
 * never touches the session (what most requests of a web application are).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SessionBenchApp.Endpoints.class)
// The variants' configurations are top-level classes: Spring would process nested @Configuration classes always.
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

        /** Does not touch the session; whatever reads it (Spring MVC's flash-map lookup) costs Redis work. */
        @GetMapping("/session/untouched")
        public String untouched() {
            return "ok";
        }

        /**
         * Reads a cart of ten items kept in the session (a {@code java.util.ArrayList}, created with
         * {@code setAttribute} on the session's first call) and answers its size: a read of a mutable value, which
         * {@code readiness.sessions.save-mode=changed} compares with its stored bytes at the end of the request.
         */
        @GetMapping("/session/cart")
        public String cart(HttpServletRequest request) {
            HttpSession s = request.getSession();
            Object cart = s.getAttribute("cart");
            if (cart == null) {
                java.util.List<String> items = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    items.add("sku-" + (100_000 + i) + " quantity 1");
                }
                s.setAttribute("cart", items);
                return "10";
            }
            return Integer.toString(((java.util.List<?>) cart).size());
        }

        /** Returns the counter without changing it. */
        @GetMapping("/session/read")
        public String read(HttpServletRequest request) {
            HttpSession s = request.getSession(false);
            return s == null ? "none" : String.valueOf(s.getAttribute("counter"));
        }
    }
}
