package dev.readiness.health.check.http;

import dev.readiness.core.check.CheckResult;
import dev.readiness.core.check.DependencyCheck;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Readiness of a downstream HTTP service: {@code GET uri}, UP on a 2xx or 3xx status, with the check's timeout
 * as the request timeout. Uses the JDK's HTTP client, so it needs no dependency. Wrap it in
 * {@code CircuitBreakerCheck.guarding(breaker, check)} to share state with the application's circuit breaker.
 * Details: {@code status}, {@code latencyMs}.
 */
public final class HttpCheck implements DependencyCheck {

    private final URI uri;
    private final HttpClient client;

    private HttpCheck(URI uri, HttpClient client) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.client = Objects.requireNonNull(client, "client");
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("uri must be http or https, was " + uri);
        }
    }

    /** A check of {@code uri} with a client of its own (HTTP/1.1, 2 s connect timeout). */
    public static HttpCheck get(URI uri) {
        return new HttpCheck(uri, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** A check of {@code uri} through {@code client}. */
    public static HttpCheck get(URI uri, HttpClient client) {
        return new HttpCheck(uri, client);
    }

    @Override
    public CheckResult check(Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "readiness-check").build();
        long start = System.nanoTime();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            return CheckResult.down("no response from " + uri + " within " + timeout.toMillis() + " ms");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        int status = response.statusCode();
        CheckResult r = status >= 200 && status < 400 ? CheckResult.up()
                : CheckResult.down(uri + " answered " + status);
        return r.withDetail("status", status).withDetail("latencyMs", ms);
    }

    @Override
    public String toString() {
        return "HttpCheck{" + uri + "}";
    }
}
