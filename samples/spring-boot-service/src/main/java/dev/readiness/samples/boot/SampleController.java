package dev.readiness.samples.boot;

import dev.readiness.core.reload.ConfigMapWatcher;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Optional;

/**
 * The sample contract on the application port:
 * {@code GET /}, {@code GET /session/counter}, {@code GET /session/read}, {@code GET /slow?ms=N},
 * {@code GET /config/{key}}. Answers are plain text.
 */
@RestController
class SampleController {

    /** Upper bound of {@code /slow}: longer than any drain timeout worth testing, short enough not to pin threads. */
    static final int MAX_SLOW_MS = 60_000;
    static final String COUNTER = "counter";

    /** Absent when {@code readiness.config.dir} is not set. */
    private final ObjectProvider<ConfigMapWatcher> config;

    SampleController(ObjectProvider<ConfigMapWatcher> config) {
        this.config = config;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE)
    String hello() {
        return "hello from spring-boot-service";
    }

    @GetMapping(path = "/session/counter", produces = MediaType.TEXT_PLAIN_VALUE)
    String increment(HttpSession session) {
        int next = counter(session) + 1;
        session.setAttribute(COUNTER, next);
        return Integer.toString(next);
    }

    @GetMapping(path = "/session/read", produces = MediaType.TEXT_PLAIN_VALUE)
    String read(jakarta.servlet.http.HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return Integer.toString(session == null ? 0 : counter(session));
    }

    @GetMapping(path = "/slow", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> slow(@RequestParam(name = "ms", required = false) String raw) throws InterruptedException {
        int ms;
        try {
            ms = Integer.parseInt(raw == null ? "" : raw.trim());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 0 || ms > MAX_SLOW_MS) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN)
                    .body("ms must be a whole number of milliseconds from 0 to " + MAX_SLOW_MS + ", was '" + raw + "'");
        }
        Thread.sleep(ms);
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("slept " + ms + " ms");
    }

    @GetMapping(path = "/config/{key}", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> config(@PathVariable("key") String key) {
        // One read of the snapshot in force: never a mix of two ConfigMap generations.
        ConfigMapWatcher watcher = config.getIfAvailable();
        Optional<String> value = watcher == null ? Optional.empty() : watcher.current().get(key);
        return value.map(v -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(v))
                .orElseGet(() -> ResponseEntity.status(404).contentType(MediaType.TEXT_PLAIN)
                        .body("no configuration key '" + key + "'"));
    }

    private static int counter(HttpSession session) {
        return session.getAttribute(COUNTER) instanceof Integer n ? n : 0;
    }
}
