package dev.readiness.samples.boot;

import dev.readiness.core.reload.ConfigMapWatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Optional;

/**
 * The sample contract on the application port:
 * {@code GET /}, {@code GET /session/counter}, {@code GET /session/read}, {@code GET /session/logout},
 * {@code GET /session/list/add?item=X}, {@code GET /session/list}, {@code GET /slow?ms=N},
 * {@code GET /config/{key}}. Answers are plain text.
 *
 * <p>{@code /session/list/add} keeps an {@link ArrayList} in the session the way code written for in-memory
 * sessions does: the request that creates the list calls {@code setAttribute} once, every later one only
 * changes the list that {@code getAttribute} returned, in place.
 */
@RestController
class SampleController {

    /** Upper bound of {@code /slow}: longer than any drain timeout worth testing, short enough not to pin threads. */
    static final int MAX_SLOW_MS = 60_000;
    static final String COUNTER = "counter";
    static final String LIST = "list";
    /** Bounds of {@code /session/list/add}, so that one client cannot grow its session without limit. */
    static final int MAX_ITEM_LENGTH = 200;
    static final int MAX_ITEMS = 1_000;

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
    String read(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return Integer.toString(session == null ? 0 : counter(session));
    }

    @GetMapping(path = "/session/logout", produces = MediaType.TEXT_PLAIN_VALUE)
    String logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "logged out";
    }

    @GetMapping(path = "/session/list/add", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> addToList(HttpServletRequest request,
                                     @RequestParam(name = "item", required = false) String item) {
        if (item == null || item.isBlank()) {
            return badRequest("item is required: GET /session/list/add?item=X");
        }
        if (item.length() > MAX_ITEM_LENGTH) {
            return badRequest("item must be at most " + MAX_ITEM_LENGTH + " characters, was " + item.length());
        }
        HttpSession session = request.getSession(true);
        ArrayList<String> list = list(session);
        if (list == null) {
            list = new ArrayList<>();
            list.add(item);
            session.setAttribute(LIST, list);
            return ok(joined(list));
        }
        // Deliberately no setAttribute: the change is made to the object the session handed out.
        synchronized (list) { // two requests of one user on this instance may hold the same list
            if (list.size() >= MAX_ITEMS) {
                return badRequest("the list holds at most " + MAX_ITEMS + " items");
            }
            list.add(item);
            return ok(String.join(",", list));
        }
    }

    @GetMapping(path = "/session/list", produces = MediaType.TEXT_PLAIN_VALUE)
    String items(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        ArrayList<String> list = session == null ? null : list(session);
        return list == null ? "" : joined(list);
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
            return badRequest("ms must be a whole number of milliseconds from 0 to " + MAX_SLOW_MS + ", was '" + raw + "'");
        }
        Thread.sleep(ms);
        return ok("slept " + ms + " ms");
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

    @SuppressWarnings("unchecked") // only this controller writes the attribute, always an ArrayList<String>
    private static ArrayList<String> list(HttpSession session) {
        return session.getAttribute(LIST) instanceof ArrayList<?> l ? (ArrayList<String>) l : null;
    }

    private static String joined(ArrayList<String> list) {
        synchronized (list) {
            return String.join(",", list);
        }
    }

    private static ResponseEntity<String> ok(String body) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(body);
    }

    private static ResponseEntity<String> badRequest(String body) {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(body);
    }
}
