package dev.readiness.spring.boot.minimal;

import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A brand-new Spring Boot application whose only readiness-specific addition is the starter on its class path:
 * no readiness code, no readiness beans. The end-to-end tests fork it as a real process. Its endpoints follow
 * the samples' contract: {@code /}, {@code /slow?ms=N}, {@code /config/{key}}, {@code /session/counter}.
 * {@code -Dminimal.server=jetty} runs it on Jetty instead of Tomcat.
 */
@SpringBootApplication
@RestController
public class MinimalApplication {

    private final Environment environment;

    public MinimalApplication(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        SpringApplication.run(MinimalApplication.class, args);
    }

    @GetMapping("/")
    String hello() {
        return "hello\n";
    }

    @GetMapping("/slow")
    String slow(@RequestParam(defaultValue = "1000") long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "slept " + ms + " ms\n";
    }

    @GetMapping("/config/{key}")
    ResponseEntity<String> config(@PathVariable String key) {
        String value = environment.getProperty(key);
        return value == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(value);
    }

    @GetMapping("/session/counter")
    String counter(HttpSession session) {
        Integer n = (Integer) session.getAttribute("counter");
        int next = n == null ? 1 : n + 1;
        session.setAttribute("counter", next);
        return Integer.toString(next);
    }

    @Bean
    @Conditional(OnJetty.class)
    JettyServletWebServerFactory jetty() {
        return new JettyServletWebServerFactory();
    }

    static final class OnJetty implements org.springframework.context.annotation.Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return "jetty".equals(context.getEnvironment().getProperty("minimal.server"));
        }
    }
}
