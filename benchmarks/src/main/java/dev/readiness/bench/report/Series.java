package dev.readiness.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * One variant's repetitions of one figure: readiness, or the anchor it is compared with.
 *
 * @param variant  the name the table and the chart show
 * @param anchor   whether this is what the other variants are compared with
 * @param measured false for an anchor taken from its documentation (a polling period, a default) rather than
 *                 measured in this run; the report says so
 * @param values   one value per repetition, in the unit of the comparison
 */
public record Series(String variant, boolean anchor, boolean measured, List<Double> values) {

    public Series {
        Objects.requireNonNull(variant, "variant");
        values = List.copyOf(values);
        Stats.of(values); // fail at build, naming the bad value, rather than while writing the report
    }

    public Stats stats() {
        return Stats.of(values);
    }
}
