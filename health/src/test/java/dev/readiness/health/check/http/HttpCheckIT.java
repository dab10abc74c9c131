package dev.readiness.health.check.http;

import com.sun.net.httpserver.HttpServer;
import dev.readiness.core.check.CheckResult;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.health.check.HangScenarios;
import dev.readiness.health.management.ManagementServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A local HTTP server whose handler can sleep (hang) or answer any status. */
class HttpCheckIT {

    private final AtomicLong sleepMillis = new AtomicLong();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer downstream;
    private URI uri;
    private HealthRegistry registry;
    private ManagementServer server;

    @BeforeEach
    void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        downstream.setExecutor(Executors.newCachedThreadPool());
        downstream.createContext("/health", exchange -> {
            try (exchange) {
                long ms = sleepMillis.get();
                if (ms > 0) {
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                exchange.sendResponseHeaders(status.get(), -1);
            }
        });
        downstream.start();
        uri = URI.create("http://127.0.0.1:" + downstream.getAddress().getPort() + "/health");
        registry = HealthRegistry.create();
        server = ManagementServer.builder(registry).host("127.0.0.1").port(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
        downstream.stop(0);
    }

    @Test
    void aSuccessStatusIsUpAndAnErrorStatusIsDown() throws Exception {
        CheckResult up = HttpCheck.get(uri).check(Duration.ofSeconds(2));
        assertThat(up.isUp()).isTrue();
        assertThat(up.details()).containsEntry("status", 200).containsKey("latencyMs");
        status.set(503);
        CheckResult down = HttpCheck.get(uri).check(Duration.ofSeconds(2));
        assertThat(down.isUp()).isFalse();
        assertThat(down.message()).isEqualTo(uri + " answered 503");
    }

    @Test
    void aSlowDownstreamIsDownWithinTheTimeout() throws Exception {
        sleepMillis.set(10_000);
        long start = System.nanoTime();
        CheckResult r = HttpCheck.get(uri).check(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.message()).isEqualTo("no response from " + uri + " within 300 ms");
    }

    @Test
    void livenessStaysUpAndReadinessTurnsDownWhileTheDownstreamHangs() {
        registry.readiness("billing", HttpCheck.get(uri), HangScenarios.OPTIONS).start();
        registry.markStarted();
        HangScenarios.of(server).run(registry, () -> sleepMillis.set(60_000), () -> sleepMillis.set(0));
    }

    @Test
    void onlyHttpUrisAreAccepted() {
        assertThatThrownBy(() -> HttpCheck.get(URI.create("ftp://example.invalid/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be http or https");
    }
}
