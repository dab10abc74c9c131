package dev.readiness.spring.boot.autoconfigure.gc;

import dev.readiness.gc.runtime.GcPressureCheck;

import java.util.Objects;

/**
 * The {@code gc-pressure} liveness check the starter registers, as a bean. Held, not exposed as a check bean,
 * so that it is never registered a second time (for readiness, under its bean name) when the application
 * registers a {@code gc-pressure} check of its own.
 *
 * @param check the check, with the {@code readiness.gc.pressure.*} settings
 */
public record GcPressure(GcPressureCheck check) {

    public GcPressure {
        Objects.requireNonNull(check, "check");
    }
}
