package dev.readiness.bench.startup.plain;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The start-up benchmark's anchor: the sample contract ({@code /}, {@code /session/counter}, {@code /session/read},
 * {@code /slow?ms=N}, {@code /config/{key}}) as a plain Spring Boot web service without readiness: sessions in
 * memory, the configuration key read from the file on each request. One class with no nested classes, so the
 * benchmark can run it on the sample's own class path with only readiness' jars taken out. Like the sample, it
 * leaves Boot's DataSource out when no {@code spring.datasource.url} is set: the sample's class path holds
 * spring-boot-starter-jdbc and the PostgreSQL driver, and without a URL Boot's DataSource auto-configuration
 * would fail the start.
 */
@SpringBootApplication
@RestController
public class PlainBootService {

    public static void main(String[] args) {
        run(PlainBootService.class, args);
    }

    /** Starts {@code source} the way every anchor of the start-up benchmark starts, with the sample's settings. */
    public static void run(Class<?> source, String[] args) {
        SpringApplication app = new SpringApplication(source);
        app.setDefaultProperties(Map.of("server.tomcat.accept-count", "4096", "server.shutdown", "graceful"));
        app.addInitializers(PlainBootService::databaseOnlyWithUrl);
        app.run(args);
    }

    /**
     * What the sample's {@code SpringBootService.databaseOnlyWithUrl} does, so both start the same Boot: without a
     * URL, DataSource auto-configuration is excluded (by name: the benchmarks module does not compile against
     * spring-boot-jdbc). A method reference, not a nested class: this class is copied alone.
     */
    static void databaseOnlyWithUrl(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        String url = env.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            env.getPropertySources().addLast(new MapPropertySource("noDatabase", Map.of("spring.autoconfigure.exclude",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")));
        }
    }

    @GetMapping("/")
    public String hello() {
        return "hello from plain spring boot";
    }

    @GetMapping("/session/counter")
    public String increment(HttpSession session) {
        int next = (session.getAttribute("counter") instanceof Integer n ? n : 0) + 1;
        session.setAttribute("counter", next);
        return Integer.toString(next);
    }

    @GetMapping("/session/read")
    public String read(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return Integer.toString(session != null && session.getAttribute("counter") instanceof Integer n ? n : 0);
    }

    @GetMapping("/slow")
    public String slow(@RequestParam(defaultValue = "100") long ms) throws InterruptedException {
        Thread.sleep(Math.max(0, Math.min(ms, 60_000)));
        return "slept " + ms + " ms";
    }

    @GetMapping("/config/{key}")
    public ResponseEntity<String> config(@PathVariable("key") String key) throws IOException {
        String dir = System.getenv("READINESS_CONFIG_DIR");
        Path file = dir == null || key.contains("/") || key.startsWith(".") ? null : Path.of(dir, key);
        return file != null && Files.isRegularFile(file) ? ResponseEntity.ok(Files.readString(file))
                : ResponseEntity.status(404).body("no configuration key '" + key + "'");
    }
}
