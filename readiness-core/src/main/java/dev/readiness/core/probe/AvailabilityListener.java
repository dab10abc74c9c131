package dev.readiness.core.probe;

/** Told about every availability state change, after it happened, on the thread that caused it. */
@FunctionalInterface
public interface AvailabilityListener {
    void onChange(AvailabilityState previous, AvailabilityState current);
}
