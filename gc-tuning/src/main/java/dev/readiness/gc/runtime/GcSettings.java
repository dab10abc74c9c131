package dev.readiness.gc.runtime;

import dev.readiness.core.config.Key;
import dev.readiness.core.config.Keys;
import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.core.config.SettingsSource;

import java.time.Duration;

/**
 * Immutable settings of readiness-gc-tuning's run-time side ({@code readiness.gc.*}): the advisor that logs at
 * start what in the JVM disagrees with its container, and the GC-pressure liveness check
 * ({@link GcPressureSettings}). The one place that knows their defaults and rules.
 */
public final class GcSettings {

    /** {@code readiness.gc.advisor.enabled}. */
    public static final Key<Boolean> ADVISOR_ENABLED = Key.flag("readiness.gc.advisor.enabled").defaultsTo(true)
            .means("Whether the advisor logs at start what in the JVM disagrees with its container.");
    /** {@code readiness.gc.pressure.enabled}. */
    public static final Key<Boolean> PRESSURE_ENABLED = Key.flag("readiness.gc.pressure.enabled").defaultsTo(true)
            .means("Whether the GC-pressure liveness check is registered.");

    /** The keys of {@code readiness.gc.*}. */
    public static final Keys<Builder, GcSettings> KEYS = Keys.of("GC advisor and pressure", "readiness.gc",
                    GcSettings::builder, Builder::build)
            .key(ADVISOR_ENABLED, Builder::advisorEnabled)
            .key(PRESSURE_ENABLED, Builder::pressureEnabled)
            .key(GcPressureSettings.WINDOW, Builder::window)
            .key(GcPressureSettings.OVERHEAD_PERCENT, Builder::overheadPercent)
            .key(GcPressureSettings.HEAP_AFTER_GC_PERCENT, Builder::heapAfterGcPercent);

    private final boolean advisorEnabled;
    private final boolean pressureEnabled;
    private final GcPressureSettings pressure;

    private GcSettings(Builder b) {
        this.advisorEnabled = b.advisorEnabled;
        this.pressureEnabled = b.pressureEnabled;
        this.pressure = new GcPressureSettings(b.window, b.overheadPercent, b.heapAfterGcPercent);
    }

    /**
     * The settings {@code source} gives for {@code readiness.gc.*}, every key it does not have at its default.
     *
     * @throws ReadinessConfigException naming the key, the value as written and what is allowed
     */
    public static GcSettings from(SettingsSource source) {
        return KEYS.read(source);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the advisor logs at start. Default {@code true}. */
    public boolean advisorEnabled() {
        return advisorEnabled;
    }

    /** Whether the GC-pressure liveness check is registered. Default {@code true}. */
    public boolean pressureEnabled() {
        return pressureEnabled;
    }

    /** When the GC-pressure check goes DOWN. */
    public GcPressureSettings pressure() {
        return pressure;
    }

    @Override
    public String toString() {
        return "GcSettings{advisorEnabled=" + advisorEnabled + ", pressureEnabled=" + pressureEnabled
                + ", pressure=" + pressure + "}";
    }

    /** Builds {@link GcSettings}; every value is checked by {@link #build()}. */
    public static final class Builder {
        private boolean advisorEnabled = ADVISOR_ENABLED.defaultValue();
        private boolean pressureEnabled = PRESSURE_ENABLED.defaultValue();
        private Duration window = GcPressureSettings.DEFAULT_WINDOW;
        private int overheadPercent = GcPressureSettings.DEFAULT_OVERHEAD_PERCENT;
        private int heapAfterGcPercent = GcPressureSettings.DEFAULT_HEAP_AFTER_GC_PERCENT;

        private Builder() {
        }

        public Builder advisorEnabled(boolean enabled) {
            this.advisorEnabled = enabled;
            return this;
        }

        public Builder pressureEnabled(boolean enabled) {
            this.pressureEnabled = enabled;
            return this;
        }

        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        public Builder overheadPercent(int percent) {
            this.overheadPercent = percent;
            return this;
        }

        public Builder heapAfterGcPercent(int percent) {
            this.heapAfterGcPercent = percent;
            return this;
        }

        /** @throws ReadinessConfigException naming the key, the value and what is allowed */
        public GcSettings build() {
            return new GcSettings(this);
        }
    }
}
