package dev.readiness.health.saturation;

/**
 * How full a server is: busy workers plus queued work over its capacity. 0 when idle, 1 when every worker is busy,
 * above 1 when work waits in a queue. A source that cannot read its server answers {@link Double#NaN}, never
 * throws. Read on every scrape and every agent check: an implementation reads counters the server keeps anyway.
 * <p>
 * Saturation is for autoscalers and load-balancer weights, never for readiness: a service that turns unready when
 * busy sheds its load onto the other replicas and takes them down one after another.
 */
@FunctionalInterface
public interface Saturation {

    /** Busy plus queued work over capacity, or NaN when it cannot be read now. */
    double value();

    /** Where the figure comes from, for the meter's {@code source} tag ({@code tomcat}, {@code jetty}, ...). */
    default String source() {
        return "custom";
    }

    /** A source named {@code source} that reads {@code value}. */
    static Saturation of(String source, java.util.function.DoubleSupplier value) {
        java.util.Objects.requireNonNull(source, "source");
        java.util.Objects.requireNonNull(value, "value");
        return new Saturation() {
            @Override
            public double value() {
                try {
                    return value.getAsDouble();
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }

            @Override
            public String source() {
                return source;
            }

            @Override
            public String toString() {
                return "Saturation[" + source + "]";
            }
        };
    }

    /** {@code (busy + queued) / capacity}; NaN when a part is unknown or the capacity is not positive. */
    static double ratio(double busy, double queued, double capacity) {
        if (!(capacity > 0) || Double.isNaN(busy) || Double.isNaN(queued) || busy < 0 || queued < 0) {
            return Double.NaN;
        }
        return (busy + queued) / capacity;
    }
}
