package dev.readiness.spring.boot.autoconfigure.sessions;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.servlet.view.RedirectView;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC on sessions in a real redis-server: a request that does not touch its session sends Redis nothing
 * (Spring MVC's flash-map lookup on every request used to load the session), while flash attributes of a
 * redirect after POST still reach the next request.
 */
@SpringBootTest(classes = FlashMapsIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"readiness.management.enabled=false", "readiness.sessions.cookie.secure=false"})
class FlashMapsIT extends RealRedisSessions {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void springMvcsSessionFlashMapManagerIsBehindTheMarker() {
        assertThat(started.getBean("flashMapManager")).isInstanceOf(MarkedFlashMapManager.class);
    }

    @Test
    void aRequestThatDoesNotTouchItsSessionSendsRedisNothing() throws Exception {
        List<String> cookies = cookies(get("/session/counter", List.of()));
        assertThat(cookies).anyMatch(c -> c.startsWith("SESSION="));
        Map<String, Long> before = sessionCommands();
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = get("/", cookies);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(sessionCommands()).as("Redis commands for 50 requests that never touch their session")
                .isEqualTo(before);
        assertThat(get("/session/counter", cookies).body()).as("the session is still there").isEqualTo("2");
    }

    @Test
    void flashAttributesOfARedirectAfterPostReachTheNextRequestOnce() throws Exception {
        List<String> cookies = new ArrayList<>(cookies(get("/session/counter", List.of())));
        HttpResponse<String> post = http.send(request("/save", cookies)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(302);
        List<String> set = post.headers().allValues("set-cookie");
        assertThat(set).as("the marker").anyMatch(c -> c.startsWith("SESSION_FLASH=1") && c.contains("HttpOnly"));
        cookies.addAll(cookies(post));

        HttpResponse<String> shown = get("/show", cookies);
        assertThat(shown.body()).isEqualTo("saved");
        assertThat(shown.headers().allValues("set-cookie")).as("marker removed once consumed")
                .anyMatch(c -> c.startsWith("SESSION_FLASH=") && removal(c));
        cookies.removeIf(c -> c.startsWith("SESSION_FLASH="));

        assertThat(get("/show", cookies).body()).as("a flash attribute is seen once").isEqualTo("none");
    }

    private Map<String, Long> sessionCommands() throws IOException {
        Map<String, Long> stats = REDIS.commandStats();
        stats.remove("ping"); // the readiness check's own
        stats.remove("client");
        stats.remove("hello");
        return stats;
    }

    private HttpResponse<String> get(String path, List<String> cookies) throws IOException, InterruptedException {
        return http.send(request(path, cookies).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, List<String> cookies) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (!cookies.isEmpty()) {
            b.header("Cookie", String.join("; ", cookies));
        }
        return b;
    }

    /** The name=value part of each cookie the response sets (removals left out). */
    private static List<String> cookies(HttpResponse<?> r) {
        return r.headers().allValues("set-cookie").stream().filter(c -> !removal(c))
                .map(c -> c.split(";", 2)[0]).toList();
    }

    /** A cookie removal as Tomcat ({@code Max-Age=0}) or Jetty (an expiry in 1970) writes it. */
    private static boolean removal(String setCookie) {
        return setCookie.contains("Max-Age=0") || setCookie.contains("Expires=Thu, 01 Jan 1970");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @RestController
    static class App {

        @GetMapping("/")
        String hello() {
            return "hello";
        }

        @GetMapping("/session/counter")
        String counter(HttpSession session) {
            Integer n = (Integer) session.getAttribute("counter");
            int next = n == null ? 1 : n + 1;
            session.setAttribute("counter", next);
            return Integer.toString(next);
        }

        @PostMapping("/save")
        RedirectView save(RedirectAttributes attributes) {
            attributes.addFlashAttribute("message", "saved");
            return new RedirectView("/show", true);
        }

        @GetMapping("/show")
        String show(jakarta.servlet.http.HttpServletRequest request) {
            Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
            return flash == null ? "none" : String.valueOf(flash.get("message"));
        }
    }
}
