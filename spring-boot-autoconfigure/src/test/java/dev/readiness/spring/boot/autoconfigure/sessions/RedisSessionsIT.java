package dev.readiness.spring.boot.autoconfigure.sessions;

import dev.readiness.core.probe.CheckSnapshot;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.probe.Probe;
import dev.readiness.sessions.SessionIds;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.DelegatingFilterProxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application with Spring Security and a real redis-server: sessions live in Redis, and the login's
 * session-fixation defence rotates the id through readiness' store, keeping the attributes.
 */
@SpringBootTest(classes = RedisSessionsIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"readiness.management.enabled=false", "readiness.sessions.cookie.secure=false",
                // Spring Security keeps its SecurityContext in the session: Java serialization, allowlisted
                "readiness.sessions.codec=jdk", "readiness.sessions.allowlist=org.springframework.security.**",
                "readiness.checks.interval=500ms"})
class RedisSessionsIT extends RealRedisSessions {

    @LocalServerPort
    int port;
    @Autowired
    HealthRegistry registry;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void sessionsLiveInRedisAndLoginRotatesTheIdThroughTheStore() throws Exception {
        HttpResponse<String> first = get("/session/counter", null);
        assertThat(first.body()).isEqualTo("1");
        String id = cookie(first).orElseThrow(() -> new AssertionError("no SESSION cookie: " + first.headers()));
        assertThat(first.headers().allValues("set-cookie")).noneMatch(c -> c.startsWith("JSESSIONID"));
        assertThat(get("/session/counter", id).body()).isEqualTo("2");
        assertThat(stored(id)).isTrue();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(uri("/login"))
                .header("Cookie", "SESSION=" + id)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as("login redirects").isEqualTo(302);
        assertThat(login.headers().firstValue("location").orElse("")).doesNotContain("error");
        String rotated = cookie(login).orElseThrow(() -> new AssertionError("login did not rotate: " + login.headers()));
        assertThat(rotated).isNotEqualTo(id);
        assertThat(stored(id)).as("old id gone").isFalse();
        assertThat(stored(rotated)).isTrue();

        // the attributes moved to the new id, and the authentication is in the Redis session
        assertThat(get("/session/counter", rotated).body()).isEqualTo("3");
        HttpResponse<String> secure = get("/secure", rotated);
        assertThat(secure.statusCode()).isEqualTo(200);
        assertThat(secure.body()).isEqualTo("hello alice");
        assertThat(get("/secure", id).statusCode()).as("the old id is not logged in").isNotEqualTo(200);
    }

    @Test
    void theStoreIsAReadinessCheck() {
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.checks().stream()
                .anyMatch(c -> c.name().equals("redis-sessions") && c.status().name().equals("UP")));
        CheckSnapshot c = registry.checks().stream().filter(s -> s.name().equals("redis-sessions")).findFirst()
                .orElseThrow();
        assertThat(c.probe()).isEqualTo(Probe.READINESS);
        assertThat(c.required()).as("degraded by default: every replica shares the Redis").isFalse();
    }

    /** Whether Redis holds the session (a creation time; the tombstone a rotation leaves at the old id has none). */
    private static boolean stored(String id) throws IOException {
        String reply = REDIS.command("HEXISTS", SessionIds.key("readiness:session:", id), "#c").trim();
        return reply.endsWith("1");
    }

    private HttpResponse<String> get(String path, String session) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (session != null) {
            b.header("Cookie", "SESSION=" + session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Optional<String> cookie(HttpResponse<?> response) {
        Pattern p = Pattern.compile("^SESSION=([^;]+)");
        for (String c : response.headers().allValues("set-cookie")) {
            Matcher m = p.matcher(c);
            if (m.find() && !m.group(1).isEmpty()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableWebSecurity
    @RestController
    static class App {

        @GetMapping("/session/counter")
        String counter(HttpSession session) {
            Integer n = (Integer) session.getAttribute("counter");
            int next = n == null ? 1 : n + 1;
            session.setAttribute("counter", next);
            return Integer.toString(next);
        }

        @GetMapping("/secure")
        String secure(java.security.Principal principal) {
            return "hello " + principal.getName();
        }

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.csrf(c -> c.disable())
                    .authorizeHttpRequests(a -> a.requestMatchers("/secure").authenticated().anyRequest().permitAll())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER")
                    .build());
        }

        /** Spring Security's filter chain at the order Spring Boot gives it (-100). */
        @Bean
        FilterRegistrationBean<DelegatingFilterProxy> securityFilter() {
            FilterRegistrationBean<DelegatingFilterProxy> r =
                    new FilterRegistrationBean<>(new DelegatingFilterProxy("springSecurityFilterChain"));
            r.setOrder(-100);
            return r;
        }
    }
}
