package dev.readiness.war;

import dev.readiness.core.drain.DrainMetrics;
import dev.readiness.core.drain.GracefulDrain;
import dev.readiness.core.metrics.ProbeMetrics;
import dev.readiness.core.probe.HealthRegistry;
import dev.readiness.core.reload.ConfigMapWatcher;
import dev.readiness.core.reload.ConfigReloadMetrics;
import dev.readiness.gc.micrometer.GcPressureMetrics;
import dev.readiness.gc.runtime.GcPressureCheck;
import dev.readiness.health.management.ManagementHandler;
import dev.readiness.health.management.PrometheusHandler;
import dev.readiness.sessions.SessionEvents;
import dev.readiness.sessions.micrometer.SessionMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The webapp's {@code /metrics} on its management port: readiness' meters (probes, drain, sessions, ConfigMap
 * reloads, the gc-pressure check, saturation, the listen queue) and Micrometer's own JVM binders (memory, GC, heap pressure, threads, class
 * loading, processor, uptime), in a Prometheus
 * registry of the webapp's own. Used only when Micrometer's Prometheus registry is in {@code WEB-INF/lib}
 * (readiness-war brings it; {@link ReadinessWar} checks before it touches this class). {@link #close()} releases the GC notification listeners and the
 * registry, so an undeployed webapp's class loader is not held by the JVM's MXBeans.
 */
final class WarMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SessionMetrics sessions = new SessionMetrics();
    private GcPressureMetrics gc;

    /** What the session store reports to. */
    SessionEvents sessionEvents() {
        return sessions;
    }

    /** {@code /metrics}: Prometheus' text format. */
    ManagementHandler handler() {
        return PrometheusHandler.of(prometheus);
    }

    /**
     * Binds every meter once the registry and the drain exist.
     *
     * @param gcPressure the registered gc-pressure check, or null when it is off (the JVM's GC meters are bound
     *                   either way)
     */
    void bind(HealthRegistry registry, GracefulDrain drain, GcPressureCheck gcPressure) {
        sessions.bindTo(prometheus);
        new ProbeMetrics(registry).bindTo(prometheus);
        new DrainMetrics(drain).bindTo(prometheus);
        gc = new GcPressureMetrics(gcPressure); // Micrometer's GC, heap-pressure and memory binders, and the check's
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
    }

    void bind(ConfigMapWatcher watcher) {
        new ConfigReloadMetrics(watcher).bindTo(prometheus);
    }

    /** {@code readiness.saturation{source}}. */
    void bind(dev.readiness.health.saturation.Saturation saturation) {
        new dev.readiness.health.saturation.SaturationMetrics(saturation).bindTo(prometheus);
    }

    /** {@code readiness.listen.*}: accept-queue overflows and drops, the effective backlog, the queue depth. */
    void bind(dev.readiness.core.listen.ListenQueueProbe probe) {
        new dev.readiness.core.listen.ListenQueueMetrics(probe).bindTo(prometheus);
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        prometheus.close();
    }
}
