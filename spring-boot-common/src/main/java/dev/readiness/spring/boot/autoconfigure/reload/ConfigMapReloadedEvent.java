package dev.readiness.spring.boot.autoconfigure.reload;

import dev.readiness.core.reload.ConfigChange;
import org.springframework.context.ApplicationEvent;

import java.util.List;

/**
 * Published after a new ConfigMap generation was applied: the property source holds it and the affected
 * {@code @ConfigurationProperties} beans were rebound. Listen to it to react to a change (resize a pool, reload a
 * template). Not published for a rejected reload, which changed nothing.
 */
public final class ConfigMapReloadedEvent extends ApplicationEvent {

    private final transient ConfigChange change;
    private final List<String> reboundBeans;

    public ConfigMapReloadedEvent(Object source, ConfigChange change, List<String> reboundBeans) {
        super(source);
        this.change = change;
        this.reboundBeans = List.copyOf(reboundBeans);
    }

    /** What changed: keys added, removed and changed, and both snapshots. */
    public ConfigChange change() {
        return change;
    }

    /** Names of the {@code @ConfigurationProperties} beans that were rebound. */
    public List<String> reboundBeans() {
        return reboundBeans;
    }
}
