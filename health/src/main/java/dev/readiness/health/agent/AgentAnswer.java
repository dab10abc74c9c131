package dev.readiness.health.agent;

import dev.readiness.core.probe.AvailabilityState;

import java.util.Locale;

/**
 * What the agent tells HAProxy, one of HAProxy's agent-check words. {@link #line} writes the reply line.
 * <ul>
 *   <li>{@code UP}: {@code up ready NN%}, ready with a weight ({@code ready} cancels an earlier drain or maint)</li>
 *   <li>{@code DOWN}: {@code down}, started but not ready, or not started yet</li>
 *   <li>{@code DRAIN}: {@code drain}, from the first instant of a drain: weight 0, no new connections, the
 *       established ones kept</li>
 *   <li>{@code MAINT}: {@code maint}, maintenance requested by the application</li>
 * </ul>
 */
public enum AgentAnswer {
    UP, DOWN, DRAIN, MAINT;

    /** The answer for a service in {@code state}, with maintenance requested or not. */
    public static AgentAnswer of(AvailabilityState state, boolean maintenance) {
        if (maintenance) {
            return MAINT;
        }
        return switch (state) {
            case READY -> UP;
            case DRAINING, STOPPED -> DRAIN;
            case STARTING, NOT_READY -> DOWN;
        };
    }

    /** The reply line, newline included; {@code weightPercent} is used for {@link #UP} only. */
    public String line(int weightPercent) {
        return this == UP ? "up ready " + weightPercent + "%\n" : word() + "\n";
    }

    /** The word as HAProxy reads it, and as the meter's tag shows it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
