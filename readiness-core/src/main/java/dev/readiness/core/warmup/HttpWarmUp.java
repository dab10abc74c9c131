package dev.readiness.core.warmup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The built-in warm-up: {@code readiness.warmup.requests} GET requests to each of {@code readiness.warmup.paths}
 * on the service's own port over loopback, so the JIT, the pools and the caches behind those paths are warm before
 * the first user's request. Any status counts as warm (a 404 has run the dispatch path as well); only a request
 * that gets no answer fails the task.
 */
public final class HttpWarmUp implements WarmUpTask {

    private final int port;
    private final List<String> paths;
    private final int requests;
    private final HttpClient client;

    private HttpWarmUp(int port, List<String> paths, int requests) {
        this.port = port;
        this.paths = paths;
        this.requests = requests;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * The built-in warm-up of {@code settings} against {@code 127.0.0.1:port}.
     *
     * @throws IllegalArgumentException when {@code port} is not 1..65535
     */
    public static HttpWarmUp of(WarmUpSettings settings, int port) {
        Objects.requireNonNull(settings, "settings");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        return new HttpWarmUp(port, settings.paths(), settings.requests());
    }

    @Override
    public void run() throws IOException, InterruptedException {
        for (String path : paths) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            for (int i = 0; i < requests; i++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("warm-up interrupted at " + path);
                }
                client.send(request, HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Override
    public String toString() {
        return "HttpWarmUp[127.0.0.1:" + port + " " + paths + " x" + requests + "]";
    }
}
