package dev.readiness.health.management;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Objects;

/**
 * {@code GET /metrics} in the Prometheus text format, from a {@link PrometheusMeterRegistry}. Only loaded when
 * micrometer-registry-prometheus is on the class path:
 * <pre>{@code
 * ManagementServer.builder(registry).handler("/metrics", PrometheusHandler.of(prometheusRegistry)).start();
 * }</pre>
 */
public final class PrometheusHandler implements ManagementHandler {

    /** The content type of the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    private PrometheusHandler(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public static PrometheusHandler of(PrometheusMeterRegistry registry) {
        return new PrometheusHandler(registry);
    }

    @Override
    public ManagementResponse handle(URI uri) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        registry.scrape(out, CONTENT_TYPE);
        return new ManagementResponse(200, CONTENT_TYPE, out.toByteArray());
    }
}
