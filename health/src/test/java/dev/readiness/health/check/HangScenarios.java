package dev.readiness.health.check;

import dev.readiness.core.check.CheckOptions;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.management.ManagementServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one dependency through healthy, hung and recovered, watching the real management server the way the
 * kubelet does: /livez must keep answering 200 promptly, /readyz must turn 503 within
 * {@code interval x failureThreshold + timeout} (250 ms x 2 + 1 s), and both must recover.
 */
public final class HangScenarios {

    /** The kubelet's default probe timeout: a probe slower than this counts as failed. */
    static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Scheduling noise allowed on top of the worst case: the build machine is shared and slow. The bound is
     * still far below what an unbounded check shows (Lettuce's 60 s command timeout, HikariCP's 30 s).
     */
    static final Duration SLACK = Duration.ofMillis(1_500);

    public static final CheckOptions OPTIONS = CheckOptions.builder().interval(Duration.ofMillis(250))
            .timeout(Duration.ofSeconds(1)).failureThreshold(2).successThreshold(1).build();
    /** interval 250 ms x failureThreshold 2 + timeout 1 s, written out rather than asked of {@link #OPTIONS}. */
    static final Duration WORST_CASE_DETECTION = Duration.ofMillis(1_500);
    /**
     * The longest a /readyz may take while the dependency hangs. A probe that ran the check itself would wait
     * for the check's 1 s timeout (the hang lasts longer), so it cannot answer within half of it; a probe that
     * reads the last result answers in milliseconds.
     */
    static final Duration PROBE_WHILE_HUNG = Duration.ofMillis(500);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    private HangScenarios(ManagementServer server) {
        this.port = server.port();
    }

    public static HangScenarios of(ManagementServer server) {
        return new HangScenarios(server);
    }

    record Probe(int status, Duration took, String body) {
    }

    Probe get(String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
            return new Probe(response.statusCode(), Duration.ofNanos(System.nanoTime() - start), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls /readyz until it answers {@code status}, at most {@code within}; returns the time it took. */
    Duration awaitReadyz(int status, Duration within, List<Probe> livez) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Probe ready = get("/readyz");
            livez.add(get("/livez"));
            if (ready.status() == status) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            pause(Duration.ofMillis(20));
        }
        throw new AssertionError("/readyz did not answer " + status + " within " + within + "; last: "
                + get("/readyz?verbose").body());
    }

    /** Healthy, then hung, then recovered; asserts the probes at each stage. */
    public void run(HealthRegistry registry, Runnable hang, Runnable recover) {
        List<Probe> livez = new ArrayList<>();
        awaitReadyz(200, Duration.ofSeconds(30), livez);

        hang.run();
        Duration detection = awaitReadyz(503, WORST_CASE_DETECTION.plus(SLACK), livez);
        assertThat(detection).as("time from hang to /readyz 503")
                .isLessThanOrEqualTo(WORST_CASE_DETECTION.plus(SLACK));
        // Keep probing while the dependency stays hung: several intervals, long enough to park threads.
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() - until < 0) {
            livez.add(get("/livez"));
            Probe ready = get("/readyz");
            assertThat(ready.status()).as("/readyz while the dependency hangs").isEqualTo(503);
            assertThat(ready.took()).as("/readyz latency while the dependency hangs").isLessThan(PROBE_WHILE_HUNG);
            pause(Duration.ofMillis(50));
        }

        recover.run();
        awaitReadyz(200, Duration.ofSeconds(30), livez);

        assertThat(livez).isNotEmpty().allSatisfy(p -> {
            assertThat(p.status()).as("/livez status").isEqualTo(200);
            assertThat(p.took()).as("/livez latency").isLessThan(KUBELET_TIMEOUT);
        });
        assertThat(registry.report(dev.readiness.core.probe.Probe.LIVENESS).isUp()).isTrue();
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
