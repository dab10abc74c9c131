package dev.readiness.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of one series of repetitions. The median is the figure the report compares; min and max
 * show the spread, because on a shared machine the spread is as much a finding as the median.
 *
 * @param n      the number of repetitions
 * @param median the middle value (the mean of the two middle values for an even count)
 * @param min    the smallest value
 * @param p90    the 90th percentile, nearest rank
 * @param max    the largest value
 */
public record Stats(int n, double median, double min, double p90, double max) {

    /**
     * @throws IllegalArgumentException when {@code values} is empty or holds a NaN or an infinity
     */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one value");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("a series holds a value that is not a finite number: " + x);
            }
        }
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(n, median, v[0], v[Math.max(0, (int) Math.ceil(0.9 * n) - 1)], v[n - 1]);
    }

    /** Convenience for harnesses that collect primitives. */
    public static Stats of(double... values) {
        return of(Arrays.stream(values).boxed().toList());
    }

    /** The {@code p} quantile (0 to 1) of sorted values, nearest rank: the rule {@link #p90} follows too. */
    public static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** (max - min) / median: 0 when every repetition agreed; NaN when the median is 0. */
    public double relativeSpread() {
        return median == 0 ? Double.NaN : (max - min) / Math.abs(median);
    }
}
