package dev.readiness.testkit.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One browser's cookies for one site, the little a test client needs: every {@code Set-Cookie} kept by name, an
 * empty value, {@code Max-Age=0} or an expiry in 1970 removing it, and the {@code Cookie} header sent back. Paths,
 * domains and other attributes are not looked at: a test talks to one site under {@code /}. Thread-safe, for the
 * requests of one user that run at once.
 */
public final class CookieJar {

    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** Keeps what every {@code Set-Cookie} value of an answer says. */
    public synchronized void remember(List<String> setCookies) {
        for (String c : setCookies) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String lower = c.toLowerCase(Locale.ROOT);
            if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** The {@code Cookie} header to send, or null when there is no cookie. */
    public synchronized String header() {
        return cookies.isEmpty() ? null : cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** The request headers that carry the cookies: none, or {@code Cookie}. */
    public Map<String, String> headers() {
        String h = header();
        return h == null ? Map.of() : Map.of("Cookie", h);
    }

    public synchronized boolean isEmpty() {
        return cookies.isEmpty();
    }

    synchronized void clear() {
        cookies.clear();
    }
}
