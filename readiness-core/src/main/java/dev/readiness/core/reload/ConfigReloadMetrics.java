package dev.readiness.core.reload;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of one {@link ConfigMapWatcher}; the only class of this package that needs Micrometer.
 * <ul>
 *   <li>{@code readiness.config.reloads{result=success|unchanged|invalid|read_error}}: reloads by result,
 *       the load at start included;</li>
 *   <li>{@code readiness.config.listener.failures}: listeners that threw;</li>
 *   <li>{@code readiness.config.generation}: generation in force;</li>
 *   <li>{@code readiness.config.last.success}: time of the last successful reload, in seconds since the
 *       epoch (NaN before the first).</li>
 * </ul>
 */
public final class ConfigReloadMetrics implements MeterBinder {

    private final ConfigMapWatcher watcher;
    private final Iterable<Tag> tags;

    public ConfigReloadMetrics(ConfigMapWatcher watcher) {
        this(watcher, Tags.empty());
    }

    /** @param tags added to every meter, e.g. a {@code volume} name when a service watches several */
    public ConfigReloadMetrics(ConfigMapWatcher watcher, Iterable<Tag> tags) {
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.tags = Objects.requireNonNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ReloadResult r : ReloadResult.values()) {
            FunctionCounter.builder("readiness.config.reloads", watcher, w -> w.reloads(r))
                    .description("ConfigMap reloads by result").tags(tags).tag("result", r.tag())
                    .register(registry);
        }
        FunctionCounter.builder("readiness.config.listener.failures", watcher, ConfigMapWatcher::listenerFailures)
                .description("Configuration change listeners that threw").tags(tags).register(registry);
        Gauge.builder("readiness.config.generation", watcher, w -> w.current().generation())
                .description("Generation of the configuration in force").tags(tags).register(registry);
        TimeGauge.builder("readiness.config.last.success", watcher, TimeUnit.MILLISECONDS,
                        w -> w.lastSuccess().map(i -> (double) i.toEpochMilli()).orElse(Double.NaN))
                .description("When the configuration was last reloaded successfully").tags(tags)
                .register(registry);
    }
}
